#!/usr/bin/env bash
# A single-node Slurm on this machine, for trying the EdgeQ job-array scripts (and for the integration test
# ScaleOutSlurmIT): Debian's slurm-wlm and munge, a minimal slurm.conf for this one host (all CPUs that
# `slurmd -C` finds, cons_tres, no accounting), every daemon talking over loopback (127.0.0.1) only.
#
#   docs/scale-out/local-slurm.sh start    install (apt-get, once), write the config, start munged, slurmctld and
#                                          slurmd, wait until the node is idle; does nothing that is already done
#   docs/scale-out/local-slurm.sh status   what runs, and sinfo
#   docs/scale-out/local-slurm.sh stop     stop the daemons this script started (by their pid files)
#
# Needs root (it installs packages, writes /etc/slurm/slurm.conf and starts daemons). It never overwrites a
# slurm.conf it did not write (a real cluster's): it stops with a message instead. No systemd needed: the daemons
# are started directly, so it also works in containers and VMs without an init system.
set -euo pipefail

conf=/etc/slurm/slurm.conf
marker="# Written by EdgeQ docs/scale-out/local-slurm.sh"
state_dir=/var/lib/slurm/slurmctld
spool_dir=/var/lib/slurm/slurmd
log_dir=/var/log/slurm
ctld_pid=/run/slurmctld.pid
slurmd_pid=/run/slurmd.pid
munge_pid=/run/munge/munged.pid

say() { echo "local-slurm: $*" >&2; }
die() { say "$*"; exit 1; }

need_root() { [ "$(id -u)" -eq 0 ] || die "run as root (it installs packages, writes $conf and starts daemons)"; }

# The pid in FILE when that process is alive, else nothing.
live_pid() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

install_packages() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null \
      && command -v munged >/dev/null; then
    return
  fi
  say "installing Debian's slurm-wlm and munge"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q slurm-wlm munge >&2 \
    || { apt-get -o DPkg::Lock::Timeout=600 update -q >&2 \
         && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q slurm-wlm munge >&2; }
}

write_config() {
  if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
    die "$conf exists and was not written by this script; not touching it (a real cluster's config?)"
  fi
  local host hw
  host="$(hostname -s)"
  # slurmd -C prints this machine's real layout (CPUs, sockets, cores, threads, memory); a node configured with
  # more than it has would be drained at once.
  hw="$(slurmd -C | head -n 1 | sed -E 's/^NodeName=[^ ]+ //')"
  # Bind every daemon to the node's own address too (not 0.0.0.0) when this host name resolves to loopback, as on a
  # developer machine or a VM; elsewhere only the controller is bound (to 127.0.0.1, from SlurmctldHost).
  local comm=NoCtldInAddrAny
  if getent hosts "$host" | grep -qE '^(127\.|::1)'; then comm=NoCtldInAddrAny,NoInAddrAny; fi
  local new
  new="$(cat <<EOF
$marker: a single-node Slurm for trying EdgeQ's
# job-array scripts. Every daemon is reached at 127.0.0.1. No accounting (sacct has nothing to show: use
# scontrol show job, which keeps finished jobs for MinJobAge seconds).
ClusterName=edgeq-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=slurm
SlurmctldPort=6817
SlurmdPort=6818
CommunicationParameters=$comm
AuthType=auth/munge
StateSaveLocation=$state_dir
SlurmdSpoolDir=$spool_dir
SlurmctldPidFile=$ctld_pid
SlurmdPidFile=$slurmd_pid
SlurmctldLogFile=$log_dir/slurmctld.log
SlurmdLogFile=$log_dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=3600
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host $hw State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
)"
  if [ -f "$conf" ] && [ "$(cat "$conf")" = "$new" ]; then
    return
  fi
  say "writing $conf for node $host ($hw)"
  mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$new" > "$conf"
  # A running controller must read the new file: restart both daemons.
  stop_slurm
}

start_munge() {
  if [ -n "$(live_pid "$munge_pid")" ]; then return; fi
  if [ ! -s /etc/munge/munge.key ]; then
    say "creating /etc/munge/munge.key"
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
  fi
  install -d -o munge -g munge -m 0755 /run/munge
  say "starting munged"
  runuser -u munge -- /usr/sbin/munged
  munge -n | unmunge >/dev/null || die "munge does not round-trip a credential"
}

start_slurm() {
  install -d -o slurm -g slurm "$state_dir" "$spool_dir" "$log_dir"
  if [ -z "$(live_pid "$ctld_pid")" ]; then
    say "starting slurmctld (log $log_dir/slurmctld.log)"
    /usr/sbin/slurmctld
  fi
  if [ -z "$(live_pid "$slurmd_pid")" ]; then
    say "starting slurmd (log $log_dir/slurmd.log)"
    /usr/sbin/slurmd
  fi
}

wait_idle() {
  local host state
  host="$(hostname -s)"
  for _ in $(seq 1 60); do
    state="$(sinfo -h -n "$host" -o %T 2>/dev/null || true)"
    case "$state" in
      idle*|mixed*|allocated*|completing*) say "node $host is $state"; return 0 ;;
      drain*|down*)
        # A node left down by an earlier run (e.g. the machine rebooted under it) comes back with a resume.
        scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 1
  done
  die "node $host is not up after 60 s (state '${state:-no answer}'); see $log_dir/slurmctld.log and slurmd.log"
}

stop_slurm() {
  local pid
  for f in "$slurmd_pid" "$ctld_pid"; do
    if pid="$(live_pid "$f")"; then
      say "stopping $(basename "$f" .pid) (pid $pid)"
      kill "$pid"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
  done
}

stop_all() {
  local pid
  stop_slurm
  if pid="$(live_pid "$munge_pid")"; then
    say "stopping munged (pid $pid)"
    kill "$pid"
  fi
}

status() {
  local f pid
  for f in "$munge_pid" "$ctld_pid" "$slurmd_pid"; do
    if pid="$(live_pid "$f")"; then echo "$(basename "$f" .pid): running (pid $pid)"; else echo "$(basename "$f" .pid): stopped"; fi
  done
  sinfo 2>&1 || true
}

case "${1:-start}" in
  start)
    need_root
    install_packages
    write_config
    start_munge
    start_slurm
    wait_idle
    ;;
  stop) need_root; stop_all ;;
  status) status ;;
  *) die "usage: $0 [start|status|stop]" ;;
esac
