#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stops kube-apiserver, waits, and starts it again with the same flags (for tests that lose the
# API server in the middle of a wait). Returns once /readyz is ok again.
#
#   bash scripts/cluster/restart-apiserver.sh [SECONDS_DOWN=5] [SIGNAL=TERM]
#
# SIGNAL KILL simulates a crash (connections dropped at once); TERM is a graceful shutdown.
set -euo pipefail
log_prefix=restart-apiserver
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

down_for="${1:-5}"
signal="${2:-TERM}"
[[ "$down_for" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "SECONDS_DOWN must be a number, got '$down_for'"
args_file="$KSTATUS_CLUSTER_DIR/args/kube-apiserver"
[[ -f "$args_file" ]] || die "no recorded kube-apiserver flags in $args_file: run up.sh first"
bin="$KSTATUS_CLUSTER_BIN"

if pid="$(live_pid kube-apiserver)"; then
  kill "-$signal" "$pid"
  for _ in $(seq 1 100); do
    live_pid kube-apiserver >/dev/null || break
    sleep 0.1
  done
  if live_pid kube-apiserver >/dev/null; then kill -KILL "$pid"; fi
  log "stopped kube-apiserver (pid $pid, SIG$signal); down for ${down_for}s"
else
  log "kube-apiserver was not running; starting it after ${down_for}s"
fi
sleep "$down_for"

mapfile -t args <"$args_file"
echo "--- restarted by restart-apiserver.sh at $(date -u +%FT%TZ) ---" >>"$log_dir/kube-apiserver.log"
setsid "$bin/kube-apiserver" "${args[@]}" >>"$log_dir/kube-apiserver.log" 2>&1 </dev/null &
echo $! >"$pid_dir/kube-apiserver.pid"
started=$SECONDS
until [[ "$(kcurl /readyz --max-time 3 2>/dev/null)" == ok ]]; do
  live_pid kube-apiserver >/dev/null || die "kube-apiserver exited on restart (log: $log_dir/kube-apiserver.log)"
  ((SECONDS - started < 90)) || die "kube-apiserver not ready 90 s after restart"
  sleep 0.2
done
log "kube-apiserver ready again (pid $(cat "$pid_dir/kube-apiserver.pid"), $((SECONDS - started)) s after start)"
