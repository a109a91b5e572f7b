#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A one-node Slurm cluster on loopback for tests, from Debian's slurm-wlm and munge: munged,
# slurmctld and slurmd run from a private folder (their own key, sockets, ports, state and logs) and
# touch nothing of the machine's own configuration.
#
#   slurm-cluster.sh start DIR   start the daemons, wait until the node takes jobs; prints
#                                "SLURM_CONF=DIR/slurm.conf" (export it for sbatch, squeue, …).
#                                Exit 77 with the reason on stderr when the cluster cannot run here
#                                (not installed, not root, a daemon that does not start).
#   slurm-cluster.sh stop DIR    stop the daemons (and any job still running), leave the logs
set -u
cmd=${1:-}
dir=${2:-}
[[ -n $cmd && -n $dir ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

skip() { echo "slurm-cluster: $*" >&2; exit 77; }

stop() {
  if [[ -f $dir/slurm.conf ]]; then
    SLURM_CONF=$dir/slurm.conf scancel --quiet --full --user="$(id -un)" 2>/dev/null || true
  fi
  local f pid
  for f in slurmd slurmctld munged; do
    [[ -f $dir/$f.pid ]] || continue
    pid=$(cat "$dir/$f.pid" 2>/dev/null) || continue
    [[ -n $pid ]] || continue
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/$f.pid"
  done
}

if [[ $cmd == stop ]]; then
  stop
  exit 0
fi
[[ $cmd == start ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

for tool in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] ||
    skip "$tool is not installed (installers/setup-deps.sh installs slurm-wlm and munge)"
done
export PATH=$PATH:/usr/sbin
# slurmd starts jobs as their user through setuid and reads /proc of every process: it runs as root
[[ $(id -u) == 0 ]] || skip "slurmd must run as root to start jobs; run the tests as root to include this one"

mkdir -p "$dir"/{state,spool,munge} || skip "cannot create $dir"
chmod 700 "$dir" "$dir/munge"
dir=$(cd "$dir" && pwd)

# munge: a private key and socket
head -c 1024 /dev/urandom >"$dir/munge/munge.key" && chmod 400 "$dir/munge/munge.key"
munged --force --socket="$dir/munge/munge.sock" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed" \
  >>"$dir/munged.log" 2>&1 || skip "munged did not start: $(tail -3 "$dir/munged.log" | tr '\n' ' ')"

# two free TCP ports on loopback
ports=()
for p in $(shuf -i 20000-60000 -n 40); do
  (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null && continue  # something listens there
  ports+=("$p")
  [[ ${#ports[@]} -ge 2 ]] && break
done
[[ ${#ports[@]} -ge 2 ]] || { stop; skip "no free TCP ports on 127.0.0.1"; }

host=$(hostname -s)
# this machine as slurmd sees it (CPUs, sockets, memory), so that the node is never drained for a mismatch
node=$(slurmd -C 2>/dev/null | head -1)
[[ $node == NodeName=* ]] || { stop; skip "slurmd -C does not describe this machine"; }
# cred_expire: a requeued job waits this long (default 120 s) before it runs again
cat >"$dir/slurm.conf" <<EOF
ClusterName=alignscope-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock,cred_expire=10
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
# schedule at once (default: every 60 s, and a requeued job waits for it)
SchedulerParameters=sched_interval=1,bf_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
KillWait=10
MinJobAge=600
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$dir/slurm.conf
slurmctld -c >>"$dir/slurmctld.log" 2>&1 || { stop; skip "slurmctld did not start: $(tail -3 "$dir/slurmctld.log" | tr '\n' ' ')"; }
slurmd >>"$dir/slurmd.log" 2>&1 || { stop; skip "slurmd did not start: $(tail -3 "$dir/slurmd.log" | tr '\n' ' ')"; }

# the node takes jobs once it is idle
for _ in $(seq 150); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null | head -1)
  [[ $state == idle* ]] && { echo "SLURM_CONF=$SLURM_CONF"; exit 0; }
  sleep 0.2
done
log=$(tail -3 "$dir/slurmd.log" "$dir/slurmctld.log" 2>/dev/null | tr '\n' ' ')
stop
skip "the node did not become idle within 30 s (state '${state:-none}'): $log"
