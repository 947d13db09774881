# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR
# Certificates and kubeconfigs of one run of the local control plane. Sourced by up.sh.
# Everything is made afresh per run with openssl: nothing secret is kept in the clone.
# shellcheck disable=SC2154  # pki_dir, die and the KSTATUS_* settings come from lib.sh

# issue_cert NAME SUBJECT EXTENSIONS: an EC P-256 key and a certificate signed by the run's CA.
issue_cert() {
  local name="$1" subject="$2" ext="$3"
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki_dir/$name.key" 2>/dev/null
  openssl req -new -key "$pki_dir/$name.key" -subj "$subject" -out "$pki_dir/$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$pki_dir/$name.ext"
  openssl x509 -req -in "$pki_dir/$name.csr" -CA "$pki_dir/ca.crt" -CAkey "$pki_dir/ca.key" \
    -CAcreateserial -days 30 -sha256 -extfile "$pki_dir/$name.ext" -out "$pki_dir/$name.crt" \
    2>/dev/null || die "openssl could not sign the $name certificate"
  rm -f "$pki_dir/$name.csr" "$pki_dir/$name.ext"
}

make_pki() {
  mkdir -p "$pki_dir"
  chmod 700 "$pki_dir"
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki_dir/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$pki_dir/ca.key" -subj "/CN=kstatus-local-ca" -days 30 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$pki_dir/ca.crt" 2>/dev/null || die "openssl could not make the CA"

  local client="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  issue_cert apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:$KSTATUS_SERVICE_IP"
  # Cluster admin: the group system:masters bypasses RBAC.
  issue_cert admin "/O=system:masters/CN=kstatus-admin" "$client"
  # A user no RBAC rule names: every request past discovery is Forbidden.
  issue_cert restricted "/CN=restricted" "$client"
  # The controller manager and scheduler are in system:masters too: right after an API server
  # restart RBAC answers Forbidden until its caches have synced, and their informers would then
  # back off for up to ~30 s (seen with restart-apiserver.sh); the privileged group is exempt.
  issue_cert controller-manager "/O=system:masters/CN=system:kube-controller-manager" "$client"
  issue_cert scheduler "/O=system:masters/CN=system:kube-scheduler" "$client"

  # Service-account token signing pair.
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki_dir/sa.key" 2>/dev/null ||
    die "openssl could not make the service-account key"
  openssl pkey -in "$pki_dir/sa.key" -pubout -out "$pki_dir/sa.pub" 2>/dev/null
  chmod 600 "$pki_dir"/*.key
}

# write_kubeconfig FILE CONTEXT CERT_NAME: a self-contained kubeconfig (certificates inlined).
write_kubeconfig() {
  local file="$1" context="$2" cert="$3"
  local ca crt key
  ca="$(base64 -w0 <"$pki_dir/ca.crt")"
  crt="$(base64 -w0 <"$pki_dir/$cert.crt")"
  key="$(base64 -w0 <"$pki_dir/$cert.key")"
  umask 077
  cat >"$file" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: kstatus-local
  cluster:
    server: $KSTATUS_APISERVER_URL
    certificate-authority-data: $ca
users:
- name: $context
  user:
    client-certificate-data: $crt
    client-key-data: $key
contexts:
- name: $context
  context:
    cluster: kstatus-local
    user: $context
    namespace: default
current-context: $context
KUBECONFIG
}
