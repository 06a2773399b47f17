#!/usr/bin/env bash
# Optional extras on the control plane, as settings.yaml asks: metrics-server and the game's demo fleets.
# Idempotent: `kubectl apply` leaves unchanged objects alone.
# Inputs: METRICS_SERVER, GAME_MANIFESTS ("true" or "false").
set -euo pipefail
# Without CRs: a Windows checkout made before .gitattributes has CRLF files under /vagrant (Vagrant converts only
# the script it uploads), and bash would read every line of lib.sh with a trailing \r.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source <(tr -d '\r' <"${SHARED_DIR:-/vagrant}/scripts/lib.sh")

: "${METRICS_SERVER:?} ${GAME_MANIFESTS:?}"
export KUBECONFIG="$KUBERNETES_DIR/admin.conf"
METRICS_SERVER_VERSION=v0.8.0

if [ "$METRICS_SERVER" = "true" ]; then
  step "metrics-server $METRICS_SERVER_VERSION"
  manifest="$CACHE_DIR/metrics-server-${METRICS_SERVER_VERSION}-insecure-tls.yaml"
  if [ ! -s "$manifest" ]; then
    release="https://github.com/kubernetes-sigs/metrics-server/releases/download/${METRICS_SERVER_VERSION}"
    fetch_once "$release/components.yaml" "$CACHE_DIR/metrics-server-${METRICS_SERVER_VERSION}.yaml"
    # kubeadm's kubelets serve self-signed certificates; metrics-server must accept them in this lab cluster.
    add_flag="s@^\([[:space:]]*\)- --cert-dir=/tmp\$@&\n\1- --kubelet-insecure-tls@"
    sed -e "$add_flag" "$CACHE_DIR/metrics-server-${METRICS_SERVER_VERSION}.yaml" >"$manifest.partial"
    grep -q -- '--kubelet-insecure-tls' "$manifest.partial"
    mv "$manifest.partial" "$manifest"
  fi
  kubectl apply -f "$manifest"
fi

if [ "$GAME_MANIFESTS" = "true" ]; then
  step "game manifests"
  kubectl apply -f "$SHARED_DIR/addons/game/"
fi

step "addons done"
