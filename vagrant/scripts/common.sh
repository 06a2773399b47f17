#!/usr/bin/env bash
# Every node: swap off, kernel settings, containerd, and kubeadm/kubelet/kubectl at the pinned minor version.
# Idempotent: `vagrant provision` re-runs it safely.
# Inputs (from the Vagrantfile): KUBERNETES_VERSION (e.g. 1.35), NODE_IP, HOSTS_ENTRIES ("ip name,ip name,…").
set -euo pipefail
# Without CRs: a Windows checkout made before .gitattributes has CRLF files under /vagrant (Vagrant converts only
# the script it uploads), and bash would read every line of lib.sh with a trailing \r.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source <(tr -d '\r' <"${SHARED_DIR:-/vagrant}/scripts/lib.sh")

: "${KUBERNETES_VERSION:?} ${NODE_IP:?} ${HOSTS_ENTRIES:?}"
export DEBIAN_FRONTEND=noninteractive

# Checked before anything changes: on a node already in the cluster, packages of another minor version would put
# its kubelet above (or too far below) the API server, which Kubernetes' version-skew policy forbids.
if command -v kubeadm >/dev/null 2>&1 && { [ -f "$INIT_MARKER" ] || [ -f "$JOIN_MARKER" ] ||
  [ -f "$KUBERNETES_DIR/kubelet.conf" ]; }; then
  installed=$(kubeadm version -o short | sed -E 's/^v([0-9]+\.[0-9]+)\..*/\1/')
  if [ "$installed" != "$KUBERNETES_VERSION" ]; then
    cat >&2 <<REFUSED
This node runs Kubernetes $installed but vagrant/settings.yaml asks for $KUBERNETES_VERSION.
Installing $KUBERNETES_VERSION here would break Kubernetes' version-skew policy (a kubelet never newer than the API server).
Either set kubernetes.version back to "$installed" in vagrant/settings.yaml, or build a new cluster at
$KUBERNETES_VERSION: kubewars cluster destroy, then kubewars cluster up.
To keep this cluster, upgrade it with kubeadm, control plane first and one minor version at a time:
https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/
REFUSED
    exit 1
  fi
fi

step "swap off"
# The kubelet refuses to run with swap on; keep it off across reboots too.
swapoff -a
sed -i -E 's@^([^#].*[[:space:]]swap[[:space:]].*)$@# \1@' /etc/fstab
systemctl mask swap.target >/dev/null 2>&1

step "kernel modules and sysctls"
cat >/etc/modules-load.d/kubewars.conf <<MODULES
overlay
br_netfilter
MODULES
modprobe overlay
modprobe br_netfilter
cat >/etc/sysctl.d/99-kubewars.conf <<SYSCTL
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
SYSCTL
sysctl --system >/dev/null

step "node names"
IFS=',' read -r -a entries <<<"$HOSTS_ENTRIES"
for entry in "${entries[@]}"; do
  name=${entry#* }
  sed -i -E "/[[:space:]]${name}\$/d" /etc/hosts
  echo "$entry" >>/etc/hosts
done

step "containerd"
if ! command -v containerd >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq containerd apt-transport-https ca-certificates curl gpg >/dev/null
fi
mkdir -p /etc/containerd
containerd_config_before=$(sha256sum /etc/containerd/config.toml 2>/dev/null || true)
if ! grep -qs 'SystemdCgroup = true' /etc/containerd/config.toml; then
  containerd config default >/etc/containerd/config.toml
  # The kubelet uses the systemd cgroup driver (kubeadm's default); containerd must match.
  sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml
fi

step "kubeadm, kubelet and kubectl $KUBERNETES_VERSION"
keyring=/etc/apt/keyrings/kubernetes-apt-keyring.gpg
repo="https://pkgs.k8s.io/core:/stable:/v${KUBERNETES_VERSION}/deb/"
if ! grep -qs "$repo" /etc/apt/sources.list.d/kubernetes.list; then
  mkdir -p /etc/apt/keyrings
  curl -fsSL --retry 5 "${repo}Release.key" | gpg --batch --yes --dearmor -o "$keyring"
  echo "deb [signed-by=$keyring] $repo /" >/etc/apt/sources.list.d/kubernetes.list
  apt-mark unhold kubelet kubeadm kubectl >/dev/null 2>&1 || true
  apt-get update -qq
fi
if ! dpkg -s kubeadm >/dev/null 2>&1 || ! kubeadm version -o short | grep -q "^v${KUBERNETES_VERSION}\."; then
  # kubernetes-cni: the bridge/portmap plugins flannel delegates to; cri-tools: crictl, to inspect and pre-pull.
  apt-get install -y -qq kubelet kubeadm kubectl kubernetes-cni cri-tools >/dev/null
fi
apt-mark hold kubelet kubeadm kubectl >/dev/null
echo 'runtime-endpoint: unix:///run/containerd/containerd.sock' >/etc/crictl.yaml

step "containerd sandbox image"
# Use the pause image this kubeadm expects (containerd's default is older; kubeadm warns about the mismatch).
pause_image=$(kubeadm config images list --kubernetes-version "$(kubeadm version -o short)" | grep '/pause:' || true)
if [ -n "$pause_image" ]; then
  # containerd 1.x spells it sandbox_image, 2.x sandbox.
  sed -i -E "s@^([[:space:]]*sandbox(_image)? = ).*@\1\"${pause_image}\"@" /etc/containerd/config.toml
fi
# Restart only when the configuration changed: a re-run on a live node must not restart its containers.
if [ "$(sha256sum /etc/containerd/config.toml)" != "$containerd_config_before" ]; then
  systemctl restart containerd
fi
systemctl enable --now containerd >/dev/null 2>&1

step "images for the course"
pull_prefetched_images

step "kubelet node IP $NODE_IP"
# Without this the kubelet registers the NAT address (10.0.2.15), the same on every VM.
desired="KUBELET_EXTRA_ARGS=--node-ip=$NODE_IP"
if [ "$(cat /etc/default/kubelet 2>/dev/null || true)" != "$desired" ]; then
  echo "$desired" >/etc/default/kubelet
  systemctl daemon-reload
  if systemctl is-active --quiet kubelet; then systemctl restart kubelet; fi
fi
systemctl enable kubelet >/dev/null 2>&1

step "common done"
