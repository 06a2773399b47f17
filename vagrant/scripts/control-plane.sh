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
manifest=$(mktemp)
curl -fsSL --retry 5 -o "$manifest" \
  "https://github.com/flannel-io/flannel/releases/download/${FLANNEL_VERSION}/kube-flannel.yml"
# Flannel takes the default-route interface (the NAT one, identical on every VM) unless told otherwise.
sed -i -E "s@^([[:space:]]*)- --kube-subnet-mgr\$@&\n\1- --iface=${private_iface}@" "$manifest"
sed -i "s@10.244.0.0/16@${POD_CIDR}@" "$manifest"
grep -q -- "--iface=${private_iface}" "$manifest"
kubectl apply -f "$manifest"
rm -f "$manifest"

if [ "$WORKER_COUNT" = "0" ]; then
  step "no workers: pods may run on the control plane"
  kubectl taint nodes --all node-role.kubernetes.io/control-plane:NoSchedule- >/dev/null 2>&1 || true
fi

step "configs for the host and the workers"
install -d "$CONFIG_DIR"
# admin.conf already names https://$NODE_IP:6443, which the host reaches over the host-only network.
install -m 600 /etc/kubernetes/admin.conf "$CONFIG_DIR/config.tmp"
mv "$CONFIG_DIR/config.tmp" "$CONFIG_DIR/config"
# A token that does not expire: workers added days later (vagrant up worker-3) must still join this lab cluster.
join_command=$(kubeadm token create --print-join-command --ttl 0)
printf '#!/usr/bin/env bash\nset -euo pipefail\n%s\n' "$join_command" >"$CONFIG_DIR/join.sh.tmp"
chmod 700 "$CONFIG_DIR/join.sh.tmp"
mv "$CONFIG_DIR/join.sh.tmp" "$CONFIG_DIR/join.sh"

step "control plane ready"
