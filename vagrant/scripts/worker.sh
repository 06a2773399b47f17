#!/usr/bin/env bash
# A worker: joins the cluster with the command the control plane left in configs/join.sh.
# Idempotent: a node that already joined is left alone.
# Inputs: NODE_IP.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source /vagrant/scripts/lib.sh

: "${NODE_IP:?}"

if [ -f /etc/kubernetes/kubelet.conf ]; then
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

step "kubeadm join as $NODE_IP"
bash "$CONFIG_DIR/join.sh"
step "joined"
