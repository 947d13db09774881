#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Starts the local control plane on 127.0.0.1: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and kwok (fake nodes and pod lifecycles, stages in scripts/cluster/stages/).
#
#   bash scripts/cluster/up.sh        # builds first if needed (instant when cached)
#   export KUBECONFIG="$HOME/.cache/kstatus-cluster/run/kubeconfig"
#
# Each start is a fresh cluster (new certificates, empty etcd). Running it while the cluster is up
# only says so; after a partial start it cleans up and starts again. State, logs and pids live in
# $KSTATUS_CLUSTER_DIR (default ~/.cache/kstatus-cluster/run); see README.md.
set -euo pipefail
log_prefix=up
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=pki.sh
source "$cluster_dir_src/pki.sh"

components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
started_at=$SECONDS

readyz_ok() { [[ -f "$pki_dir/admin.crt" ]] && [[ "$(kcurl /readyz --max-time 3 2>/dev/null)" == ok ]]; }

# Already up?
alive=0
for c in "${components[@]}"; do live_pid "$c" >/dev/null && alive=$((alive + 1)); done
if ((alive == ${#components[@]})) && readyz_ok; then
  log "already up at $KSTATUS_APISERVER_URL"
  log "kubeconfig: $KSTATUS_CLUSTER_DIR/kubeconfig"
  exit 0
fi
if ((alive > 0)); then
  log "found a partial cluster ($alive of ${#components[@]} components alive): stopping it first"
  bash "$cluster_dir_src/down.sh"
fi

# Binaries: build.sh shows its progress (a cold build takes minutes) and builds into this directory.
bash "$cluster_dir_src/build.sh" >&2 || die "build.sh failed"
bin="$KSTATUS_CLUSTER_BIN"
[[ -x "$bin/kube-apiserver" ]] || die "build.sh did not produce binaries in $bin"
build_done=$SECONDS

# Ports must be free: a clash would otherwise show up as a confusing health-check timeout.
for port in "$KSTATUS_ETCD_PORT" "$KSTATUS_ETCD_PEER_PORT" "$KSTATUS_APISERVER_PORT" \
  "$KSTATUS_CONTROLLER_MANAGER_PORT" "$KSTATUS_SCHEDULER_PORT" "$KSTATUS_KWOK_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is already in use (override with the KSTATUS_*_PORT variables)"
  fi
done

# Fresh state for this run.
rm -rf "$pki_dir" "$log_dir" "$pid_dir" "$KSTATUS_CLUSTER_DIR/etcd" "$KSTATUS_CLUSTER_DIR/args"
mkdir -p "$KSTATUS_CLUSTER_DIR" "$log_dir" "$pid_dir" "$KSTATUS_CLUSTER_DIR/args"
ensure_commands openssl=openssl curl=curl
make_pki
write_kubeconfig "$KSTATUS_CLUSTER_DIR/kubeconfig" kstatus-admin admin
write_kubeconfig "$KSTATUS_CLUSTER_DIR/kubeconfig-restricted" kstatus-restricted restricted
write_kubeconfig "$KSTATUS_CLUSTER_DIR/controller-manager.kubeconfig" controller-manager \
  controller-manager
write_kubeconfig "$KSTATUS_CLUSTER_DIR/scheduler.kubeconfig" scheduler scheduler

# If anything below fails, stop what was started so the next up.sh begins clean.
trap 'rc=$?; if ((rc != 0)); then log "start failed: stopping what was started (logs in $log_dir)"; bash "$cluster_dir_src/down.sh" >/dev/null 2>&1 || true; fi' EXIT

# start NAME ARG...: runs $bin/NAME detached, records its arguments (for restart-apiserver.sh)
# and its pid.
start() {
  local name="$1"
  shift
  printf '%s\n' "$@" >"$KSTATUS_CLUSTER_DIR/args/$name"
  setsid "$bin/$name" "$@" >>"$log_dir/$name.log" 2>&1 </dev/null &
  echo $! >"$pid_dir/$name.pid"
  log "started $name (pid $!, log $log_dir/$name.log)"
}

# wait_for DESCRIPTION SECONDS COMPONENT COMMAND...: polls COMMAND every 0.2 s.
wait_for() {
  local what="$1" timeout="$2" component="$3"
  shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$component" ]] && ! live_pid "$component" >/dev/null; then
      tail -n 30 "$log_dir/$component.log" >&2 || true
      die "$component exited while waiting for $what (log: $log_dir/$component.log)"
    fi
    ((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for $what"
    sleep 0.2
  done
}

# --- etcd -------------------------------------------------------------------------------------------
etcd_url="http://127.0.0.1:$KSTATUS_ETCD_PORT"
start etcd \
  --name=kstatus \
  --data-dir="$KSTATUS_CLUSTER_DIR/etcd" \
  --listen-client-urls="$etcd_url" \
  --advertise-client-urls="$etcd_url" \
  --listen-peer-urls="http://127.0.0.1:$KSTATUS_ETCD_PEER_PORT" \
  --initial-advertise-peer-urls="http://127.0.0.1:$KSTATUS_ETCD_PEER_PORT" \
  --initial-cluster="kstatus=http://127.0.0.1:$KSTATUS_ETCD_PEER_PORT" \
  --unsafe-no-fsync=true \
  --quota-backend-bytes=4294967296 \
  --log-level=warn
etcd_healthy() { [[ "$(curl -sS --max-time 2 "$etcd_url/health")" == *'"health":"true"'* ]]; }
wait_for "etcd health" 30 etcd etcd_healthy

# --- kube-apiserver ---------------------------------------------------------------------------------
start kube-apiserver \
  --etcd-servers="$etcd_url" \
  --bind-address=127.0.0.1 \
  --advertise-address=127.0.0.1 \
  --secure-port="$KSTATUS_APISERVER_PORT" \
  --tls-cert-file="$pki_dir/apiserver.crt" \
  --tls-private-key-file="$pki_dir/apiserver.key" \
  --client-ca-file="$pki_dir/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki_dir/sa.pub" \
  --service-account-signing-key-file="$pki_dir/sa.key" \
  --service-cluster-ip-range="$KSTATUS_SERVICE_CIDR" \
  --authorization-mode=Node,RBAC \
  --allow-privileged=true \
  --endpoint-reconciler-type=none \
  --profiling=false \
  --v=1
# The endpoint reconciler is off: it would publish 127.0.0.1 as the `kubernetes` Service endpoint,
# which endpoint validation rejects (loopback), and nothing here needs that endpoint.
wait_for "kube-apiserver /readyz" 90 kube-apiserver readyz_ok
apiserver_ready=$SECONDS
log "kube-apiserver ready at $KSTATUS_APISERVER_URL ($((apiserver_ready - build_done)) s after start)"

# --- controllers, scheduler, kwok --------------------------------------------------------------------
start kube-controller-manager \
  --kubeconfig="$KSTATUS_CLUSTER_DIR/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$KSTATUS_CLUSTER_DIR/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$KSTATUS_CLUSTER_DIR/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$KSTATUS_CONTROLLER_MANAGER_PORT" \
  --service-account-private-key-file="$pki_dir/sa.key" \
  --root-ca-file="$pki_dir/ca.crt" \
  --service-cluster-ip-range="$KSTATUS_SERVICE_CIDR" \
  --leader-elect=false \
  --kube-api-qps=200 \
  --kube-api-burst=400 \
  --v=1
start kube-scheduler \
  --kubeconfig="$KSTATUS_CLUSTER_DIR/scheduler.kubeconfig" \
  --authentication-kubeconfig="$KSTATUS_CLUSTER_DIR/scheduler.kubeconfig" \
  --authorization-kubeconfig="$KSTATUS_CLUSTER_DIR/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$KSTATUS_SCHEDULER_PORT" \
  --leader-elect=false \
  --v=1
# Container logs: kwok serves pods/log (the API server proxies it to kwok's kubelet endpoint,
# node port $KSTATUS_KWOK_PORT) from CRI-format files. kwok picks a file by pod and container name
# only, so every container gets the same two: the current instance's log, and for the previous
# instance (only crash-looping containers have one) the log of a crash.
cat >"$KSTATUS_CLUSTER_DIR/kwok-logs.yaml" <<YAML
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: kstatus-logs
spec:
  logs:
    - logsFile: "$cluster_dir_src/logs/current.log"
      previousLogsFile: "$cluster_dir_src/logs/previous.log"
YAML
start kwok \
  --kubeconfig="$KSTATUS_CLUSTER_DIR/kubeconfig" \
  --config="$cluster_dir_src/stages/node.yaml" \
  --config="$cluster_dir_src/stages/pod.yaml" \
  --config="$KSTATUS_CLUSTER_DIR/kwok-logs.yaml" \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-ip=127.0.0.1 \
  --node-port="$KSTATUS_KWOK_PORT" \
  --cidr="$KSTATUS_POD_CIDR" \
  --node-lease-duration-seconds=40 \
  --server-address="127.0.0.1:$KSTATUS_KWOK_PORT"

# --- fake nodes ---------------------------------------------------------------------------------------
for ((i = 0; i < KSTATUS_CLUSTER_NODES; i++)); do
  node="kwok-node-$i"
  body=$(
    cat <<JSON
{"apiVersion":"v1","kind":"Node","metadata":{"name":"$node",
 "annotations":{"kwok.x-k8s.io/node":"fake","node.alpha.kubernetes.io/ttl":"0"},
 "labels":{"kubernetes.io/hostname":"$node","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64",
  "type":"kwok"}}}
JSON
  )
  code="$(kcurl /api/v1/nodes -o "$log_dir/create-$node.json" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' --data "$body")"
  [[ "$code" == 201 ]] || die "creating node $node answered HTTP $code: $(cat "$log_dir/create-$node.json")"
done
nodes_ready() {
  local n
  # Count Ready=True conditions: the condition's status follows its type in the JSON.
  n="$(kcurl /api/v1/nodes | tr -d ' \n' | grep -o '"type":"Ready","status":"True"' | wc -l)"
  ((n >= KSTATUS_CLUSTER_NODES))
}
wait_for "$KSTATUS_CLUSTER_NODES kwok node(s) Ready" 60 kwok nodes_ready

# --- default namespace and service account (pods cannot be created before the latter exists) ----------
default_sa() { [[ "$(kcurl /api/v1/namespaces/default/serviceaccounts/default -o /dev/null -w '%{http_code}')" == 200 ]]; }
wait_for "the default service account" 60 kube-controller-manager default_sa
for c in "${components[@]}"; do live_pid "$c" >/dev/null || die "$c is not running (log: $log_dir/$c.log)"; done

cat >"$KSTATUS_CLUSTER_DIR/cluster.env" <<ENV
KUBECONFIG=$KSTATUS_CLUSTER_DIR/kubeconfig
KSTATUS_RESTRICTED_KUBECONFIG=$KSTATUS_CLUSTER_DIR/kubeconfig-restricted
KSTATUS_APISERVER_URL=$KSTATUS_APISERVER_URL
KSTATUS_CLUSTER_BIN=$bin
ENV
trap - EXIT
log "cluster up in $((SECONDS - started_at)) s (build check $((build_done - started_at)) s, control plane $((SECONDS - build_done)) s)"
log "kubeconfig: $KSTATUS_CLUSTER_DIR/kubeconfig"
log "restricted kubeconfig (user 'restricted', no RBAC grants): $KSTATUS_CLUSTER_DIR/kubeconfig-restricted"
log "binaries (kubectl, kstatus-peer, ...): $bin"
