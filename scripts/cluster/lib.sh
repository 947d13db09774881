# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR
# Shared settings of the local control plane scripts. Sourced, never run.
# Every value can be overridden from the environment.
# shellcheck disable=SC2034  # the variables are used by the scripts that source this file

cluster_dir_src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$cluster_dir_src/../.." && pwd)"
# shellcheck source=versions.env
source "$cluster_dir_src/versions.env"

KSTATUS_CLUSTER_CACHE="${KSTATUS_CLUSTER_CACHE:-$HOME/.cache/kstatus-cluster}"
KSTATUS_CLUSTER_BIN="${KSTATUS_CLUSTER_BIN:-$KSTATUS_CLUSTER_CACHE/$K8S_VERSION/bin}"
KSTATUS_CLUSTER_DIR="${KSTATUS_CLUSTER_DIR:-$KSTATUS_CLUSTER_CACHE/run}"

# Fixed but unusual ports on 127.0.0.1, so they do not clash with a developer's own cluster.
KSTATUS_APISERVER_PORT="${KSTATUS_APISERVER_PORT:-36443}"
KSTATUS_ETCD_PORT="${KSTATUS_ETCD_PORT:-32379}"
KSTATUS_ETCD_PEER_PORT="${KSTATUS_ETCD_PEER_PORT:-32380}"
KSTATUS_CONTROLLER_MANAGER_PORT="${KSTATUS_CONTROLLER_MANAGER_PORT:-30257}"
KSTATUS_SCHEDULER_PORT="${KSTATUS_SCHEDULER_PORT:-30259}"
KSTATUS_KWOK_PORT="${KSTATUS_KWOK_PORT:-30247}"
# Service and pod addresses are only ever written into objects: no proxy, no CNI, nothing dials them.
# Pods get loopback addresses (kwok --cidr) so even a stray connection would stay on this machine.
KSTATUS_SERVICE_CIDR="${KSTATUS_SERVICE_CIDR:-10.96.0.0/16}"
KSTATUS_SERVICE_IP="${KSTATUS_SERVICE_IP:-10.96.0.1}"
KSTATUS_POD_CIDR="${KSTATUS_POD_CIDR:-127.16.0.1/16}"
# How many kwok fake nodes up.sh creates.
KSTATUS_CLUSTER_NODES="${KSTATUS_CLUSTER_NODES:-2}"

KSTATUS_APISERVER_URL="https://127.0.0.1:$KSTATUS_APISERVER_PORT"
pki_dir="$KSTATUS_CLUSTER_DIR/pki"
log_dir="$KSTATUS_CLUSTER_DIR/logs"
pid_dir="$KSTATUS_CLUSTER_DIR/pids"

export GOTOOLCHAIN=local

log() { printf '[%s] %s\n' "${log_prefix:-cluster}" "$*"; }
die() { printf '[%s] ERROR: %s\n' "${log_prefix:-cluster}" "$*" >&2; exit 1; }

# Installs the Debian packages the scripts need, when a command is missing (CI starts clean).
ensure_commands() { # command=package ...
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd="${pair%%=*}"
    pkg="${pair#*=}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  [[ "$(id -u)" == 0 ]] || sudo=(sudo)
  log "installing ${missing[*]} with apt-get"
  "${sudo[@]}" apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null ||
    die "apt-get install ${missing[*]} failed"
}

# curl against the API server as the cluster admin (client certificate).
kcurl() { # path [curl args...]
  local path="$1"
  shift
  curl -sS --cacert "$pki_dir/ca.crt" --cert "$pki_dir/admin.crt" --key "$pki_dir/admin.key" \
    "$@" "$KSTATUS_APISERVER_URL$path"
}

# pid of a component started by up.sh, if that process still runs our binary of that name. Checking
# the executable (not just `kill -0`) skips zombies, which linger where nothing reaps orphans, and
# pids the system has since given to another program.
live_pid() { # name
  local f="$pid_dir/$1.pid" pid exe
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 1
  exe="${exe% (deleted)}"
  [[ "$(basename "$exe")" == "$1" ]] || return 1
  echo "$pid"
}
