#!/bin/sh
# Runs one stand host. Moves itself into the host's own cgroups (nspawn --keep-unit uses the
# caller's cgroup), then runs systemd-nspawn, starting it again when the container reboots (133).
# usage: supervisor.sh HOST ROOT BRIDGE STATE_DIR CGROUP_DIR...
set -u
host=$1 root=$2 bridge=$3 dir=$4
shift 4
for cg in "$@"; do
  mkdir -p "$cg" && echo $$ > "$cg/cgroup.procs"
done
child=
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT
while :; do
  systemd-nspawn --boot --directory="$root" --machine="$host" --hostname="$host" \
    --network-bridge="$bridge" --register=no --keep-unit --resolv-conf=off --timezone=off \
    --link-journal=no --console=read-only &
  child=$!
  echo "$child" > "$dir/nspawn.pid"
  wait "$child"; rc=$?
  # A trapped signal interrupts wait; keep waiting for nspawn's own exit status.
  while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
  [ "$rc" = 133 ] || break
  echo "[supervisor] $host rebooted; starting it again"
done
echo "$rc" > "$dir/exit.code"
rm -f "$dir/nspawn.pid"
