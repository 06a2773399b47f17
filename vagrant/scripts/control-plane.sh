#!/usr/bin/env bash
# The control plane: kubeadm init, flannel on the private interface, and configs/ (kubeconfig + join command) for
# the host and the workers. Idempotent: `vagrant provision control-plane` re-runs it safely.
# Inputs: NODE_IP, POD_CIDR, SERVICE_CIDR, FLANNEL_VERSION, WORKER_COUNT.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source /vagrant/scripts/lib.sh

: "${NODE_IP:?} ${POD_CIDR:?} ${SERVICE_CIDR:?} ${FLANNEL_VERSION:?} ${WORKER_COUNT:?}"
export KUBECONFIG=/etc/kubernetes/admin.conf

# The interface that holds the private-network address (enp0s8 on VirtualBox, another name on libvirt).
private_iface=$(ip -o -4 addr show | awk -v ip="$NODE_IP" '{ split($4, a, "/"); if (a[1] == ip) print $2 }')
if [ -z "$private_iface" ]; then
  echo "No interface holds $NODE_IP: the private network did not come up (see vagrant/README.md)." >&2
  exit 1
fi

if [ ! -f /etc/kubernetes/admin.conf ]; then
  step "kubeadm init"
  kubeadm config images pull
  kubeadm init \
    --apiserver-advertise-address="$NODE_IP" \
    --apiserver-cert-extra-sans="$NODE_IP,127.0.0.1,localhost,$(hostname)" \
    --pod-network-cidr="$POD_CIDR" \
    --service-cidr="$SERVICE_CIDR" \
    --node-name="$(hostname)"
else
  step "kubeadm init (already done)"
fi

step "kubeconfig for the vagrant user"
install -d -o vagrant -g vagrant /home/vagrant/.kube
install -m 600 -o vagrant -g vagrant /etc/kubernetes/admin.conf /home/vagrant/.kube/config

step "wait for the API server"
for _ in $(seq 1 60); do
  if kubectl get --raw /readyz >/dev/null 2>&1; then break; fi
  sleep 5
done
kubectl get --raw /readyz >/dev/null

step "flannel $FLANNEL_VERSION on $private_iface"
manifest="$CACHE_DIR/kube-flannel-${FLANNEL_VERSION}-${private_iface}.yml"
if [ ! -s "$manifest" ]; then
  fetch_once "https://github.com/flannel-io/flannel/releases/download/${FLANNEL_VERSION}/kube-flannel.yml" \
    "$CACHE_DIR/kube-flannel-${FLANNEL_VERSION}.yml"
  # Flannel takes the default-route interface (the NAT one, identical on every VM) unless told otherwise.
  sed -e "s@^\([[:space:]]*\)- --kube-subnet-mgr\$@&\n\1- --iface=${private_iface}@" \
    -e "s@10.244.0.0/16@${POD_CIDR}@" "$CACHE_DIR/kube-flannel-${FLANNEL_VERSION}.yml" >"$manifest.partial"
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
# (Shared folders such as vboxsf may ignore chmod: the file's mode on the host is the host's business.)
cp /etc/kubernetes/admin.conf "$CONFIG_DIR/config.tmp"
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

step "control plane ready"
