#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stops the local control plane started by up.sh: every component whose pid file is in
# $KSTATUS_CLUSTER_DIR/pids, also after a partial start. Only those pids are signalled, and only
# if they still run our binary of that name (see live_pid in lib.sh). Keeps logs and certificates until the next up.sh.
set -euo pipefail
log_prefix=down
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Stop the clients of the API server first and etcd last, so nothing logs needless errors.
order=(kwok kube-scheduler kube-controller-manager kube-apiserver etcd)
stopped=0
for name in "${order[@]}"; do
  pid="$(live_pid "$name")" || {
    [[ -f "$pid_dir/$name.pid" ]] && log "$name (pid $(cat "$pid_dir/$name.pid")) had already exited"
    rm -f "$pid_dir/$name.pid"
    continue
  }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    live_pid "$name" >/dev/null || break
    sleep 0.2
  done
  if live_pid "$name" >/dev/null; then
    log "$name (pid $pid) ignored SIGTERM for 10 s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_dir/$name.pid"
  log "stopped $name (pid $pid)"
  stopped=$((stopped + 1))
done
((stopped > 0)) || log "nothing was running"
