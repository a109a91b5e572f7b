#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a command in a memory cgroup of its own, as a Slurm job with --mem or a container runs:
#   memory-limit.sh BYTES CMD [ARGS…]
# The cgroup (v2, or v1's memory controller) allows BYTES of memory; swap is not allowed where the kernel
# accounts it. The command's exit status is returned (137 when the kernel's OOM killer ended it). Exit 77
# with the reason on stderr when no memory cgroup can be made here (not root, no controller).
set -u
limit=${1:?usage: memory-limit.sh BYTES CMD [ARGS...]}
shift
(($#)) || { echo "usage: memory-limit.sh BYTES CMD [ARGS...]" >&2; exit 2; }
skip() { echo "memory-limit: $*" >&2; exit 77; }
name=alignscope-test-$$-$RANDOM

if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then  # v2
  grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null ||
    echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null ||
    skip "the memory controller of cgroup v2 is not available to children here"
  dir=/sys/fs/cgroup/$name
  mkdir "$dir" 2>/dev/null || skip "cannot create $dir (not root?)"
  echo "$limit" >"$dir/memory.max" || { rmdir "$dir"; skip "cannot set $dir/memory.max"; }
  echo 0 >"$dir/memory.swap.max" 2>/dev/null || true
elif [[ -d /sys/fs/cgroup/memory ]]; then  # v1
  dir=/sys/fs/cgroup/memory/$name
  mkdir "$dir" 2>/dev/null || skip "cannot create $dir (not root?)"
  echo "$limit" >"$dir/memory.limit_in_bytes" || { rmdir "$dir"; skip "cannot set $dir/memory.limit_in_bytes"; }
  echo "$limit" >"$dir/memory.memsw.limit_in_bytes" 2>/dev/null || true
else
  skip "no memory cgroup (neither v2 nor v1's memory controller is mounted)"
fi

# the child joins the cgroup before it becomes the command
bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$dir" "$@"
rc=$?
for _ in $(seq 50); do rmdir "$dir" 2>/dev/null && break; sleep 0.1; done
exit $rc
