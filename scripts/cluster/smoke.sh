#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Smoke check of a running local control plane (start it with up.sh first). Talks to the API
# server with curl and the admin client certificate only, and checks that:
#   - a Deployment of 3 replicas rolls out: 3 pods Running and Ready, availableReplicas 3
#   - a StatefulSet (2 replicas) and a DaemonSet (one pod per fake node) roll out
#   - image fail.example/crash: phase Running, not Ready, waiting CrashLoopBackOff, restarts grow
#   - image fail.example/pull: phase Pending, ErrImagePull then ImagePullBackOff
#   - image fail.example/unready: phase Running, containers running but not Ready
#   - a Job completes (pod Succeeded, condition Complete) and one fails (pod Failed, condition Failed)
#   - annotation kstatus.test/ready-after delays a pod's readiness
#   - a pod no node can take is Unschedulable (PodScheduled False)
#   - the 'restricted' user is Forbidden (403)
# Uses a throw-away namespace, deleted at the end. Exit 0 when every check passed.
set -euo pipefail
log_prefix=smoke
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_commands curl=curl jq=jq

[[ "$(kcurl /readyz --max-time 3 2>/dev/null)" == ok ]] || die "the cluster is not up (run up.sh)"
ns="kstatus-smoke-$(date +%s)"
failures=0
started=$SECONDS

post() { # path json
  local code
  code="$(kcurl "$1" -o /tmp/kstatus-smoke-post.$$ -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' --data "$2")"
  [[ "$code" == 201 ]] || die "POST $1 answered HTTP $code: $(cat /tmp/kstatus-smoke-post.$$)"
  rm -f /tmp/kstatus-smoke-post.$$
}
get() { kcurl "$@"; }

# check NAME TIMEOUT PATH JQ_FILTER: polls PATH until the jq filter yields true.
check() {
  local name="$1" timeout="$2" path="$3" filter="$4"
  local deadline=$((SECONDS + timeout)) t0=$SECONDS
  while true; do
    if get "$path" | jq -e "$filter" >/dev/null 2>&1; then
      log "ok   $name ($((SECONDS - t0)) s)"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      log "FAIL $name: not true after ${timeout}s: $filter"
      get "$path" | jq -c '.status // .' >&2 || true
      failures=$((failures + 1))
      return 0
    fi
    sleep 0.5
  done
}

pod_json() { # name image [annotations-json] [extra-spec-json]
  local ann="${3:-}" extra="${4:-}"
  jq -nc --arg name "$1" --arg image "$2" --argjson ann "${ann:-null}" --argjson extra "${extra:-null}" \
    '{apiVersion:"v1",kind:"Pod",metadata:{name:$name,annotations:($ann // {})},
      spec:({containers:[{name:"main",image:$image}]} + ($extra // {}))}'
}
workload_spec() { # app image -> pod template
  jq -nc --arg app "$1" --arg image "$2" \
    '{metadata:{labels:{app:$app}},spec:{containers:[{name:"main",image:$image}]}}'
}

post /api/v1/namespaces "$(jq -nc --arg ns "$ns" '{apiVersion:"v1",kind:"Namespace",metadata:{name:$ns}}')"
log "namespace $ns"
until [[ "$(get "/api/v1/namespaces/$ns/serviceaccounts/default" -o /dev/null -w '%{http_code}')" == 200 ]]; do
  sleep 0.2
done

nodes="$(get /api/v1/nodes | jq '[.items[] | select(.metadata.annotations["kwok.x-k8s.io/node"] == "fake")] | length')"
apps="/apis/apps/v1/namespaces/$ns"
batch="/apis/batch/v1/namespaces/$ns"
pods="/api/v1/namespaces/$ns/pods"

# Create everything first, then check, so the waits overlap.
post "$apps/deployments" "$(jq -nc --argjson t "$(workload_spec web example.invalid/web:1)" \
  '{apiVersion:"apps/v1",kind:"Deployment",metadata:{name:"web"},
    spec:{replicas:3,selector:{matchLabels:{app:"web"}},template:$t}}')"
post "$apps/statefulsets" "$(jq -nc --argjson t "$(workload_spec db example.invalid/db:1)" \
  '{apiVersion:"apps/v1",kind:"StatefulSet",metadata:{name:"db"},
    spec:{replicas:2,serviceName:"db",selector:{matchLabels:{app:"db"}},template:$t}}')"
post "$apps/daemonsets" "$(jq -nc --argjson t "$(workload_spec agent example.invalid/agent:1)" \
  '{apiVersion:"apps/v1",kind:"DaemonSet",metadata:{name:"agent"},
    spec:{selector:{matchLabels:{app:"agent"}},template:$t}}')"
post "$pods" "$(pod_json crash fail.example/crash)"
post "$pods" "$(pod_json pull fail.example/pull:404)"
post "$pods" "$(pod_json unready fail.example/unready)"
post "$pods" "$(pod_json slow example.invalid/slow:1 '{"kstatus.test/ready-after":"4s"}')"
post "$pods" "$(pod_json nowhere example.invalid/x:1 '{}' '{"nodeSelector":{"kstatus.test/no-such-node":"x"}}')"
job() { # name image
  jq -nc --arg name "$1" --arg image "$2" \
    '{apiVersion:"batch/v1",kind:"Job",metadata:{name:$name},
      spec:{backoffLimit:0,template:{spec:{restartPolicy:"Never",
        containers:[{name:"main",image:$image}]}}}}'
}
post "$batch/jobs" "$(job job-ok example.invalid/batch:1)"
post "$batch/jobs" "$(job job-fail fail.example/exit)"

check "pod with ready-after 4s is still Pending at first" 2 "$pods/slow" '.status.phase == "Pending"'
check "Deployment web: availableReplicas 3" 60 "$apps/deployments/web" \
  '.status.availableReplicas == 3 and .status.updatedReplicas == 3 and .status.observedGeneration == .metadata.generation'
check "Deployment web: 3 pods Running and Ready" 30 "$pods?labelSelector=app%3Dweb" \
  '[.items[] | select(.status.phase == "Running" and
     any(.status.conditions[]; .type == "Ready" and .status == "True"))] | length == 3'
check "StatefulSet db: readyReplicas 2" 60 "$apps/statefulsets/db" \
  '.status.readyReplicas == 2 and .status.availableReplicas == 2'
check "DaemonSet agent: one ready pod per node ($nodes)" 60 "$apps/daemonsets/agent" \
  ".status.desiredNumberScheduled == $nodes and .status.numberReady == $nodes and .status.numberAvailable == $nodes"
check "crash: Running, not Ready, waiting CrashLoopBackOff, lastState exit 1" 30 "$pods/crash" \
  '.status.phase == "Running"
   and any(.status.conditions[]; .type == "Ready" and .status == "False")
   and .status.containerStatuses[0].state.waiting.reason == "CrashLoopBackOff"
   and .status.containerStatuses[0].lastState.terminated.exitCode == 1
   and .status.containerStatuses[0].ready == false'
check "pull: Pending, ErrImagePull or ImagePullBackOff" 30 "$pods/pull" \
  '.status.phase == "Pending"
   and (.status.containerStatuses[0].state.waiting.reason | IN("ErrImagePull", "ImagePullBackOff"))'
check "pull: ImagePullBackOff after the first error" 30 "$pods/pull" \
  '.status.phase == "Pending" and .status.containerStatuses[0].state.waiting.reason == "ImagePullBackOff"
   and (.status.containerStatuses[0].state.waiting.message | contains("fail.example/pull:404"))'
check "unready: Running, containers running, not Ready" 30 "$pods/unready" \
  '.status.phase == "Running" and .status.containerStatuses[0].state.running != null
   and .status.containerStatuses[0].ready == false
   and any(.status.conditions[]; .type == "Ready" and .status == "False")'
check "slow: Running and Ready after its delay" 30 "$pods/slow" \
  '.status.phase == "Running" and any(.status.conditions[]; .type == "Ready" and .status == "True")'
# creationTimestamp has whole seconds, the Ready time kwok writes has nanoseconds: compare whole
# seconds, so a 4 s delay shows as at least 3.
slow_delay="$(get "$pods/slow" | jq '((.status.conditions[] | select(.type == "Ready") | .lastTransitionTime
  | sub("\\.[0-9]+"; "") | fromdateiso8601) - (.metadata.creationTimestamp | fromdateiso8601))')"
if ((slow_delay >= 3)); then
  log "ok   slow pod became Ready ${slow_delay}s (whole seconds) after creation, delay 4s"
else
  log "FAIL slow pod became Ready ${slow_delay}s after creation, before its 4s delay"
  failures=$((failures + 1))
fi
check "nowhere: Unschedulable" 30 "$pods/nowhere" \
  '.status.phase == "Pending" and any(.status.conditions[]; .type == "PodScheduled" and .status == "False" and .reason == "Unschedulable")'
check "Job job-ok: Complete, 1 succeeded" 60 "$batch/jobs/job-ok" \
  '.status.succeeded == 1 and any(.status.conditions[]; .type == "Complete" and .status == "True")'
check "Job job-ok: its pod Succeeded, container exit 0" 30 "$pods?labelSelector=job-name%3Djob-ok" \
  '.items | length == 1 and .[0].status.phase == "Succeeded"
   and .[0].status.containerStatuses[0].state.terminated.exitCode == 0'
check "Job job-fail: Failed" 60 "$batch/jobs/job-fail" \
  '.status.failed == 1 and any(.status.conditions[]; .type == "Failed" and .status == "True")'
check "Job job-fail: its pod Failed, container exit 1" 30 "$pods?labelSelector=job-name%3Djob-fail" \
  '.items | length == 1 and .[0].status.phase == "Failed"
   and .[0].status.containerStatuses[0].state.terminated.exitCode == 1'

code="$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$pki_dir/ca.crt" \
  --cert "$pki_dir/restricted.crt" --key "$pki_dir/restricted.key" "$KSTATUS_APISERVER_URL$pods")"
if [[ "$code" == 403 ]]; then
  log "ok   restricted user gets 403 Forbidden listing pods"
else
  log "FAIL restricted user got HTTP $code listing pods, not 403"
  failures=$((failures + 1))
fi

# Last, as it takes a while: the crash-looping container keeps restarting.
check "crash: restartCount grows (every 20 s)" 45 "$pods/crash" \
  '.status.containerStatuses[0].restartCount >= 2 and .status.phase == "Running"'

# Scale down and delete: kwok must remove terminating pods.
kcurl "$apps/deployments/web" -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json' \
  --data '{"spec":{"replicas":1}}'
check "Deployment web scaled to 1: extra pods deleted" 60 "$pods?labelSelector=app%3Dweb" \
  '.items | length == 1'

kcurl "/api/v1/namespaces/$ns" -o /dev/null -X DELETE
log "deleted namespace $ns"
if ((failures > 0)); then
  die "$failures check(s) failed ($((SECONDS - started)) s)"
fi
log "all checks passed in $((SECONDS - started)) s"
