#!/usr/bin/env bash
# Optional extras on the control plane, as settings.yaml asks: metrics-server and the game's demo fleets.
# Idempotent: `kubectl apply` leaves unchanged objects alone.
# Inputs: METRICS_SERVER, GAME_MANIFESTS ("true" or "false").
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source /vagrant/scripts/lib.sh

: "${METRICS_SERVER:?} ${GAME_MANIFESTS:?}"
export KUBECONFIG=/etc/kubernetes/admin.conf
METRICS_SERVER_VERSION=v0.8.0

if [ "$METRICS_SERVER" = "true" ]; then
  step "metrics-server $METRICS_SERVER_VERSION"
  manifest="$CACHE_DIR/metrics-server-${METRICS_SERVER_VERSION}.yaml"
  fetch_once \
    "https://github.com/kubernetes-sigs/metrics-server/releases/download/${METRICS_SERVER_VERSION}/components.yaml" \
    "$manifest"
  kubectl apply -f "$manifest"
  # kubeadm's kubelets serve self-signed certificates; metrics-server must accept them in this lab cluster.
  if ! kubectl -n kube-system get deployment metrics-server -o jsonpath='{.spec.template.spec.containers[0].args}' |
    grep -q -- --kubelet-insecure-tls; then
    kubectl -n kube-system patch deployment metrics-server --type=json \
      -p '[{"op":"add","path":"/spec/template/spec/containers/0/args/-","value":"--kubelet-insecure-tls"}]'
  fi
fi

if [ "$GAME_MANIFESTS" = "true" ]; then
  step "game manifests"
  kubectl apply -f "$SHARED_DIR/addons/game/"
fi

step "addons done"
