#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The test oracle for AlignScope's Jinja interpreter: renders templates with python3-jinja2 in the
# environment Hugging Face's apply_chat_template builds (transformers' chat_template_utils):
# ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True) with the loop-controls
# extension, a {% generation %} block, raise_exception, strftime_now, and its own tojson.
# Input (stdin): a JSON list of {"template", "context", "now"}; output: a JSON list of
# {"ok": true, "text"} or {"ok": false, "raised": bool, "error"}.
import json
import sys
from datetime import datetime

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


class RaisedByTemplate(Exception):
    pass


class Generation(Extension):  # transformers' AssistantTracker without the mask bookkeeping
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def render(case):
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[Generation, loopcontrols])
    env.filters["tojson"] = tojson

    def raise_exception(message):
        raise RaisedByTemplate(message)

    now = datetime.fromtimestamp(case.get("now", 0))
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: now.strftime(fmt)
    try:
        return {"ok": True, "text": env.from_string(case["template"]).render(**case["context"])}
    except RaisedByTemplate as e:
        return {"ok": False, "raised": True, "error": str(e)}
    except Exception as e:  # noqa: BLE001 - any other failure is an error the interpreter must also report
        return {"ok": False, "raised": False, "error": f"{type(e).__name__}: {e}"}


if __name__ == "__main__":
    json.dump([render(c) for c in json.load(sys.stdin)], sys.stdout, ensure_ascii=False)
