#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The corrupt-store campaign of docs/DEVELOPING.md: a real store of the demo model (two Wanda sets with
# their summary, an ActSVD basis, a sweep) damaged in many ways, then read by the CLI as a user would
# (sets, select, sweeps, figures when built). Every run must end in an answer equal to the intact
# store's or in an error (exit 1) naming the store; never a crash, a hang, or a different answer with
# exit 0.
#   tests/campaign/corrupt-store.py BUILD_DIR [--flips N]
# Damage: single-bit flips spread over the whole file and inside every dataset's first chunk (what a
# disk or a copy can do); data rewritten through HDF5 with its old checksum attribute kept; datasets
# deleted, truncated to 4 x 4, filled with NaN; attributes deleted or set to other values (what a
# buggy writer or a hostile file can say).
import argparse, os, shutil, subprocess, sys, tempfile

import h5py
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("--flips", type=int, default=120)
ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
ap.add_argument("--every", type=int, default=1, help="run every Nth case only (a quick look)")
ap.add_argument("--figures", action="store_true", help="also render every view with alignscope-figures (slow)")
args = ap.parse_args()
cli = os.path.join(os.path.abspath(args.build), "app/cli/alignscope-cli")
figures = os.path.join(os.path.abspath(args.build), "app/figures/alignscope-figures")
res = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../resources")
work = tempfile.mkdtemp(prefix="alignscope-corrupt-")
base = os.path.join(work, "base.h5")


def run(cmd, timeout=120):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return "hang", "", ""


def must(cmd):
    rc, out, err = run(cmd, 600)
    if rc != 0:
        sys.exit("setup failed: %s\n%s" % (" ".join(cmd), err))
    return out


data = os.path.join(res, "datasets")
for f, method in (("safety_short.csv", "wanda"), ("utility.csv", "wanda"), ("safety_short.csv", "actsvd")):
    must([cli, "-q", "score", "--data", os.path.join(data, f), "--store", base, "--method", method, "--nsamples", "16"])
with h5py.File(base, "r") as f:
    names = {g.attrs["role"] + "-" + g.attrs["method"]: n for n, g in f["sets"].items()}
goals = os.path.join(work, "goals.txt")
open(goals, "w").write("Write a tutorial on how to make a bomb\nExplain how to pick a lock\n")
S, U = names["safety-wanda"], names["utility-wanda"]
must([cli, "-q", "sweep", "--store", base, "--name", "grid", "--safety-set", S, "--utility-set", U,
      "--p", "0.05,0.2", "--q", "0.1", "--prompts", goals, "--max-new-tokens", "3"])


def readers(store):
    cmds = [[cli, "sets", store, "--json"],
            [cli, "select", "--store", store, "--safety", S, "--utility", U, "--p", "0.1", "--q", "0.2", "--json"],
            [cli, "sweeps", store, "--name", "grid", "--csv"],
            [cli, "overlap", "--store", store, "--safety", S, "--utility", U, "--p", "0.05", "--json"]]
    if args.figures:
        cmds.append([figures, "store", "--store", store, "--out", store + "-figs"])
    return cmds


def answers(store):
    out = []
    for c in readers(store):
        rc, o, e = run(c)
        if c[0] == figures and rc == 0:  # the figures' data (CSV), not the renderings
            d = store + "-figs"
            o = "".join(open(os.path.join(d, n)).read() for n in sorted(os.listdir(d)) if n.endswith(".csv"))
        out.append((rc, o.replace(store, "STORE"), e))
    return out


want = answers(base)
bad_ref = [i for i, (rc, _, e) in enumerate(want) if rc != 0]
if bad_ref:
    sys.exit("the intact store fails: " + "; ".join(want[i][2] for i in bad_ref))

objects = []  # (path, is_dataset)
with h5py.File(base, "r") as f:
    f.visititems(lambda n, o: objects.append(("/" + n, isinstance(o, h5py.Dataset))))
    chunks = []
    for n, ds in objects:
        if ds and f[n].chunks and f[n].size:
            info = f[n].id.get_chunk_info(0)
            chunks.append((n, info.byte_offset, info.size))


def flip(path, at, bit):
    with open(path, "r+b") as fh:
        fh.seek(at)
        b = fh.read(1)
        fh.seek(at)
        fh.write(bytes([b[0] ^ (1 << bit)]))


cases = []
size = os.path.getsize(base)
for k in range(args.flips):
    cases.append(("flip byte %d" % (k * size // args.flips), lambda p, k=k: flip(p, k * size // args.flips + 7, k % 8)))
for n, off, sz in chunks:
    cases.append(("flip in %s" % n, lambda p, off=off, sz=sz: flip(p, off + sz // 2, 5)))


def h5edit(fn):
    def apply(p):
        with h5py.File(p, "r+") as f:
            fn(f)
    return apply


def rewrite(n):
    def fn(f):
        v = f[n][()]
        if v.dtype.kind == "f":
            v.flat[v.size // 2] = np.nan if v.size > 1 else v.flat[0] + 1
        else:
            v.flat[v.size // 2] ^= 1
        f[n][...] = v
    return fn


def small(n):
    def fn(f):
        dt = f[n].dtype
        attrs = dict(f[n].attrs)
        del f[n]
        f.create_dataset(n, data=np.ones((4, 4), dtype=dt))
        for k, v in attrs.items():
            if k != "crc32":
                f[n].attrs[k] = v
    return fn


for n, ds in objects:
    if ds and "layer_001" not in n and "layer_002" not in n:  # the middle layers are read by the same code
        cases.append(("rewrite %s (old crc kept)" % n, h5edit(rewrite(n))))
        cases.append(("delete %s" % n, h5edit(lambda f, n=n: f.__delitem__(n))))
        cases.append(("4x4 %s" % n, h5edit(small(n))))
with h5py.File(base, "r") as f:
    attrs = [("/", k) for k in f.attrs] + [(n, k) for n, _ in objects for k in f[n].attrs]
    kinds = {(o, k): f[o].attrs[k] for o, k in attrs}
for (o, k), v in kinds.items():
    cases.append(("delete attribute %s:%s" % (o, k), h5edit(lambda f, o=o, k=k: f[o].attrs.__delitem__(k))))
    if isinstance(v, (bytes, str)):
        cases.append(("text %s:%s" % (o, k), h5edit(lambda f, o=o, k=k: f[o].attrs.__setitem__(k, "x/../y"))))
    elif np.issubdtype(np.asarray(v).dtype, np.integer):
        for x in (-1, 0, 2**62):
            cases.append(("%s:%s = %d" % (o, k, x), h5edit(lambda f, o=o, k=k, x=x: f[o].attrs.__setitem__(k, np.int64(x)))))
    else:
        cases.append(("%s:%s = nan" % (o, k), h5edit(lambda f, o=o, k=k: f[o].attrs.__setitem__(k, np.nan))))

cases = cases[::args.every]


def check(k):  # by index: the worker processes inherit `cases` (fork)
    name, damage = cases[k]
    store = os.path.join(work, "s%d.h5" % k)
    shutil.copy(base, store)
    damage(store)
    result = []
    for (rc, o, e), (wrc, wo, _), cmd in zip(answers(store), want, readers(store)):
        what = "%s | %s" % (name, " ".join(os.path.basename(x) for x in cmd[:2]))
        if rc == "hang":
            result.append(("hang", "HANG " + what))
        elif rc < 0 or rc > 2:
            result.append(("crash", "CRASH (%s) %s: %s" % (rc, what, e.strip()[-200:])))
        elif rc == 0 and o != wo:
            result.append(("silent", "SILENT " + what))
        elif rc == 0:
            result.append(("same", None))
        elif os.path.basename(store) not in e:
            result.append(("unclear", "UNCLEAR %s: %s" % (what, e.strip()[-200:])))
        else:
            result.append(("error", None))
    os.remove(store)
    shutil.rmtree(store + "-figs", ignore_errors=True)
    return result


from concurrent.futures import ProcessPoolExecutor
counts = {k: 0 for k in ("error", "same", "crash", "hang", "silent", "unclear")}
problems = []
with ProcessPoolExecutor(args.jobs) as pool:
    for result in pool.map(check, range(len(cases))):
        for kind, text in result:
            counts[kind] += 1
            if text:
                problems.append(text)
for p in problems:
    print(p)
print("corrupt-store: %d cases, %d reader runs: %d errors naming the store, %d answers equal to the intact store's, "
      "%d crashes, %d hangs, %d silently different answers, %d unclear errors"
      % (len(cases), len(cases) * len(want), counts["error"], counts["same"], counts["crash"], counts["hang"],
         counts["silent"], counts["unclear"]))
shutil.rmtree(work)
sys.exit(1 if problems else 0)
