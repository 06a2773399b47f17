#!/usr/bin/env bash
# The control plane: kubeadm init, flannel on the private interface, and configs/ (kubeconfig + join command) for
# the host and the workers. Idempotent: `vagrant provision control-plane` re-runs it safely.
# Inputs: NODE_IP, POD_CIDR, SERVICE_CIDR, FLANNEL_VERSION, WORKER_COUNT; HOST_UID and HOST_GID, the host user that
# ran Vagrant, who must own configs/ (virtiofs on libvirt would leave it to root on the host).
set -euo pipefail
# Without CRs: a Windows checkout made before .gitattributes has CRLF files under /vagrant (Vagrant converts only
# the script it uploads), and bash would read every line of lib.sh with a trailing \r.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source <(tr -d '\r' <"${SHARED_DIR:-/vagrant}/scripts/lib.sh")

: "${NODE_IP:?} ${POD_CIDR:?} ${SERVICE_CIDR:?} ${FLANNEL_VERSION:?} ${WORKER_COUNT:?}"
export KUBECONFIG="$KUBERNETES_DIR/admin.conf"

# The interface that holds the private-network address (enp0s8 on VirtualBox, another name on libvirt).
private_iface=$(ip -o -4 addr show | awk -v ip="$NODE_IP" '{ split($4, a, "/"); if (a[1] == ip) print $2 }')
if [ -z "$private_iface" ]; then
  echo "No interface holds $NODE_IP: the private network did not come up (see vagrant/README.md)." >&2
  exit 1
fi

# kubeadm init completed if our marker says so, or (clusters built before the marker) if the objects its last
# phases create exist. Anything else is an init that failed or timed out part-way: reset it and start again.
init_completed() {
  [ -f "$INIT_MARKER" ] && return 0
  [ -f "$KUBERNETES_DIR/admin.conf" ] || return 1
  wait_for_api_server || return 1
  kubectl -n kube-public get configmap cluster-info >/dev/null 2>&1 &&
    kubectl -n kube-system get deployment coredns >/dev/null 2>&1 &&
    kubectl -n kube-system get daemonset kube-proxy >/dev/null 2>&1
}

wait_for_api_server() {
  for _ in $(seq 1 60); do
    if kubectl get --raw /readyz >/dev/null 2>&1; then return 0; fi
    sleep 5
  done
  return 1
}

if init_completed; then
  step "kubeadm init (already done)"
  [ -f "$INIT_MARKER" ] || mark_done "$INIT_MARKER"
else
  # Whatever an earlier init left: certificates, kubeconfigs, static pod manifests (and the kubelet they started).
  if [ -e "$KUBERNETES_DIR/pki/ca.crt" ] || [ -e "$KUBERNETES_DIR/admin.conf" ] ||
    [ -e "$KUBERNETES_DIR/manifests/kube-apiserver.yaml" ]; then
    step "kubeadm reset (the last init did not finish)"
    kubeadm reset -f
  fi
  step "kubeadm init"
  kubeadm config images pull
  # No backslash line continuations in these scripts: Vagrant's CRLF conversion doubles the line ends of a Windows
  # checkout's script, which would cut a continued command in two.
  init_args=(
    --apiserver-advertise-address="$NODE_IP"
    --apiserver-cert-extra-sans="$NODE_IP,127.0.0.1,localhost,$(hostname)"
    --pod-network-cidr="$POD_CIDR"
    --service-cidr="$SERVICE_CIDR"
    --node-name="$(hostname)"
  )
  kubeadm init "${init_args[@]}"
  mark_done "$INIT_MARKER"
fi

step "kubeconfig for $GUEST_USER"
install -d -o "$GUEST_USER" -g "$GUEST_GROUP" "$GUEST_HOME/.kube"
install -m 600 -o "$GUEST_USER" -g "$GUEST_GROUP" "$KUBERNETES_DIR/admin.conf" "$GUEST_HOME/.kube/config"

step "wait for the API server"
if ! wait_for_api_server; then
  echo "The API server did not answer within 5 minutes: see \`journalctl -u kubelet\` on the control plane." >&2
  exit 1
fi

step "flannel $FLANNEL_VERSION on $private_iface"
manifest="$CACHE_DIR/kube-flannel-${FLANNEL_VERSION}-${private_iface}.yml"
if [ ! -s "$manifest" ]; then
  flannel_url="https://github.com/flannel-io/flannel/releases/download/${FLANNEL_VERSION}/kube-flannel.yml"
  fetch_once "$flannel_url" "$CACHE_DIR/kube-flannel-${FLANNEL_VERSION}.yml"
  # Flannel takes the default-route interface (the NAT one, identical on every VM) unless told otherwise.
  add_iface="s@^\([[:space:]]*\)- --kube-subnet-mgr\$@&\n\1- --iface=${private_iface}@"
  sed -e "$add_iface" -e "s@10.244.0.0/16@${POD_CIDR}@" "$CACHE_DIR/kube-flannel-${FLANNEL_VERSION}.yml" >"$manifest.partial"
  grep -q -- "--iface=${private_iface}" "$manifest.partial"
  mv "$manifest.partial" "$manifest"
fi
kubectl apply -f "$manifest"

if [ "$WORKER_COUNT" = "0" ]; then
  step "no workers: pods may run on the control plane"
  kubectl taint nodes --all node-role.kubernetes.io/control-plane:NoSchedule- >/dev/null 2>&1 || true
fi

step "configs for the host and the workers"
install -d "$CONFIG_DIR"
# admin.conf already names https://$NODE_IP:6443, which the host reaches over the host-only network.
# (Shared folders such as vboxsf may ignore chmod and chown: the file's mode on the host is the host's business.)
cp "$KUBERNETES_DIR/admin.conf" "$CONFIG_DIR/config.tmp"
chmod 600 "$CONFIG_DIR/config.tmp" 2>/dev/null || true
mv "$CONFIG_DIR/config.tmp" "$CONFIG_DIR/config"
# A token that does not expire: workers added days later (vagrant up worker-3) must still join this lab cluster.
# Kept across re-runs while kubeadm still knows it.
token=$(grep -o -- '--token [^ ]*' "$CONFIG_DIR/join.sh" 2>/dev/null | cut -d' ' -f2 || true)
if [ -z "$token" ] || ! kubeadm token list | awk 'NR > 1 { print $1 }' | grep -qx "$token"; then
  join_command=$(kubeadm token create --print-join-command --ttl 0)
  printf '#!/usr/bin/env bash\nset -euo pipefail\n%s\n' "$join_command" >"$CONFIG_DIR/join.sh.tmp"
  mv "$CONFIG_DIR/join.sh.tmp" "$CONFIG_DIR/join.sh"
fi
# virtiofs (libvirt) shows the guest's owner on the host: without this the files are root's there, so the user who
# ran `cluster up` could neither read the kubeconfig nor let `destroy` remove them.
if [ -n "${HOST_UID:-}" ] && [ -n "${HOST_GID:-}" ]; then
  chown "$HOST_UID:$HOST_GID" "$CONFIG_DIR" "$CONFIG_DIR/config" "$CONFIG_DIR/join.sh" 2>/dev/null || true
fi

step "control plane ready"
