#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds (or reuses) the binaries of the local control plane into a cache outside the clone:
#   $KSTATUS_CLUSTER_CACHE/<k8s-version>/bin/  (default ~/.cache/kstatus-cluster/v1.37.2/bin)
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok, and the
# cli-utils benchmark peer (scripts/bench/peer). Each group has a stamp file (hash of its go.mod,
# go.sum, sources and the Go version): a second run with nothing changed only checks and prints.
# Prints the bin directory as its last line. `build.sh peer` builds only the peer (all the parity
# test needs: a minute from cold instead of the whole control plane).
set -euo pipefail
log_prefix=build
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v go >/dev/null || die "go is not on PATH (Go >= 1.26 is needed)"
ensure_commands openssl=openssl curl=curl sha256sum=coreutils

bin="$KSTATUS_CLUSTER_BIN"
mkdir -p "$bin"
build_log_dir="$KSTATUS_CLUSTER_CACHE/$K8S_VERSION/build-logs"
mkdir -p "$build_log_dir"
export GOFLAGS="-trimpath -mod=readonly"
# A build cache of our own (several GB after a cold build): it keeps rebuilds after a pin or peer
# change quick without filling the user's default cache; delete the whole cache dir to reclaim it.
export GOCACHE="${KSTATUS_CLUSTER_GOCACHE:-$KSTATUS_CLUSTER_CACHE/go-build}"
go_version="$(go env GOVERSION)"

only_peer=0
case "${1:-}" in
"") ;;
peer) only_peer=1 ;;
*) die "usage: build.sh [peer]" ;;
esac

# The generated go.mod files must match versions.env; regenerate when a pin changed.
gomod_fresh() {
  grep -q "k8s.io/kubernetes@$K8S_VERSION\." "$cluster_dir_src/go/kubernetes/go.mod" 2>/dev/null &&
    grep -q "go.etcd.io/etcd/server/v3 $ETCD_VERSION" "$cluster_dir_src/go/etcd/go.mod" 2>/dev/null &&
    grep -q "sigs.k8s.io/kwok $KWOK_VERSION" "$cluster_dir_src/go/kwok/go.mod" 2>/dev/null &&
    [[ -f "$cluster_dir_src/go/kubernetes/go.sum" && -f "$cluster_dir_src/go/etcd/go.sum" &&
      -f "$cluster_dir_src/go/kwok/go.sum" ]]
}
if ((!only_peer)) && ! gomod_fresh; then
  log "go.mod files do not match versions.env: regenerating"
  bash "$cluster_dir_src/gen-gomod.sh" || die "gen-gomod.sh failed"
fi

stamp_of() { # dir extra... -> hash of the module files, sources, Go version and extras
  local dir="$1"
  shift
  {
    echo "$go_version $GOFLAGS $*"
    find "$dir" -maxdepth 1 -type f \( -name 'go.mod' -o -name 'go.sum' -o -name '*.go' \) \
      -print0 | sort -z | xargs -0 sha256sum | sed "s#  $dir/#  #"
  } | sha256sum | cut -c1-16
}

# build_group NAME DIR LDFLAGS BINARY=PACKAGE...
build_group() {
  local name="$1" dir="$2" ldflags="$3"
  shift 3
  local stamp_file="$bin/.stamp-$name" stamp all_present=1 pair
  stamp="$(stamp_of "$dir" "$ldflags" "$@")"
  for pair in "$@"; do [[ -x "$bin/${pair%%=*}" ]] || all_present=0; done
  if ((all_present)) && [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
    local names=()
    for pair in "$@"; do names+=("${pair%%=*}"); done
    log "$name: up to date (${names[*]})"
    return 0
  fi
  local started=$SECONDS logf="$build_log_dir/$name.log"
  rm -f "$stamp_file"
  for pair in "$@"; do
    local binary="${pair%%=*}" pkg="${pair#*=}"
    log "$name: building $binary from $pkg (log: $logf)"
    if ! (cd "$dir" && go build -ldflags="$ldflags" -o "$bin/$binary.tmp" "$pkg") >>"$logf" 2>&1; then
      tail -n 40 "$logf" >&2
      die "$name: go build of $pkg failed; full log in $logf"
    fi
    mv -f "$bin/$binary.tmp" "$bin/$binary"
    log "$name: $binary done ($(du -h "$bin/$binary" | cut -f1), $((SECONDS - started)) s so far)"
  done
  echo "$stamp" >"$stamp_file"
  log "$name: built in $((SECONDS - started)) s"
}

total_started=$SECONDS

# Version stamps so /version and kubectl report the real release, not v0.0.0-master.
k8s_minor="${K8S_VERSION#v1.}"
k8s_minor="${k8s_minor%%.*}"
kv=k8s.io/component-base/version
k8s_ldflags="-s -w -X $kv.gitVersion=$K8S_VERSION -X $kv.gitMajor=1 -X $kv.gitMinor=$k8s_minor"
k8s_ldflags+=" -X $kv.gitTreeState=clean -X $kv.buildDate=1970-01-01T00:00:00Z"
k8s_ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
k8s_ldflags+=" -X k8s.io/client-go/pkg/version.gitMajor=1"
k8s_ldflags+=" -X k8s.io/client-go/pkg/version.gitMinor=$k8s_minor"

if ((!only_peer)); then
  build_group etcd "$cluster_dir_src/go/etcd" "-s -w" etcd=go.etcd.io/etcd/server/v3
  build_group kwok "$cluster_dir_src/go/kwok" \
    "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
    kwok=sigs.k8s.io/kwok/cmd/kwok
  build_group kubernetes "$cluster_dir_src/go/kubernetes" "$k8s_ldflags" \
    kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver \
    kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager \
    kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler \
    kubectl=k8s.io/kubernetes/cmd/kubectl
fi

peer_dir="$repo_root/scripts/bench/peer"
if [[ -f "$peer_dir/go.mod" ]]; then
  build_group peer "$peer_dir" "-s -w" kstatus-peer=.
elif ((only_peer)); then
  die "peer: $peer_dir/go.mod missing"
else
  log "peer: $peer_dir/go.mod missing, skipped"
fi

log "all binaries ready in $((SECONDS - total_started)) s"
echo "$bin"
