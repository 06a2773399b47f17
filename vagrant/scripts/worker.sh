#!/usr/bin/env bash
# A worker: joins the cluster with the command the control plane left in configs/join.sh.
# Idempotent: a node whose join completed is left alone; one whose join stopped part-way is reset and joins again.
# Inputs: NODE_IP.
set -euo pipefail
# Without CRs: a Windows checkout made before .gitattributes has CRLF files under /vagrant (Vagrant converts only
# the script it uploads), and bash would read every line of lib.sh with a trailing \r.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source <(tr -d '\r' <"${SHARED_DIR:-/vagrant}/scripts/lib.sh")

: "${NODE_IP:?}"

if [ -f "$JOIN_MARKER" ]; then
  step "joined (already)"
  exit 0
fi
# Nodes joined before the marker existed: the kubelet's own kubeconfig is written only once the join went through.
if [ -f "$KUBERNETES_DIR/kubelet.conf" ] && [ ! -f "$KUBERNETES_DIR/bootstrap-kubelet.conf" ]; then
  mark_done "$JOIN_MARKER"
  step "joined (already)"
  exit 0
fi

step "wait for configs/join.sh"
# With providers that start VMs in parallel the control plane may still be initialising.
for _ in $(seq 1 120); do
  if [ -s "$CONFIG_DIR/join.sh" ]; then break; fi
  sleep 5
done
if [ ! -s "$CONFIG_DIR/join.sh" ]; then
  echo "configs/join.sh never appeared: provision the control plane first (vagrant provision control-plane)." >&2
  exit 1
fi

# A join that stopped part-way leaves pki/ca.crt and a running kubelet: the next join would stop at "already
# exists" and "Port 10250 is in use".
if [ -e "$KUBERNETES_DIR/pki/ca.crt" ] || [ -e "$KUBERNETES_DIR/kubelet.conf" ]; then
  step "kubeadm reset (the last join did not finish)"
  kubeadm reset -f
fi

step "kubeadm join as $NODE_IP"
# Without CRs, and as a file rather than on stdin, which the commands inside it would otherwise share.
bash <(tr -d '\r' <"$CONFIG_DIR/join.sh")
mark_done "$JOIN_MARKER"
step "joined"
