#!/usr/bin/env bash
# The extras the lessons use, on the control plane, as settings.yaml asks: a default StorageClass
# (local-path-provisioner), an ingress controller (Contour), metrics-server, and the game's demo fleets.
# Idempotent: `kubectl apply` leaves unchanged objects alone.
# Inputs: STORAGE, INGRESS, METRICS_SERVER, GAME_MANIFESTS ("true" or "false").
set -euo pipefail
# Without CRs: a Windows checkout made before .gitattributes has CRLF files under /vagrant (Vagrant converts only
# the script it uploads), and bash would read every line of lib.sh with a trailing \r.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source <(tr -d '\r' <"${SHARED_DIR:-/vagrant}/scripts/lib.sh")

: "${STORAGE:?} ${INGRESS:?} ${METRICS_SERVER:?} ${GAME_MANIFESTS:?}"
export KUBECONFIG="$KUBERNETES_DIR/admin.conf"
# Pinned releases; server/vagrant/prefetch.ts names the same ones (a test keeps them equal).
LOCAL_PATH_VERSION=v0.0.32
CONTOUR_VERSION=v1.33.0
METRICS_SERVER_VERSION=v0.8.0

if [ "$STORAGE" = "true" ]; then
  step "local-path-provisioner $LOCAL_PATH_VERSION, the default StorageClass"
  manifest="$CACHE_DIR/local-path-storage-${LOCAL_PATH_VERSION}.yaml"
  fetch_once "https://raw.githubusercontent.com/rancher/local-path-provisioner/${LOCAL_PATH_VERSION}/deploy/local-path-storage.yaml" "$manifest"
  kubectl apply -f "$manifest"
  # Claims without a storageClassName (lessons 12 and 14) bind only where a class is marked default.
  kubectl annotate storageclass local-path storageclass.kubernetes.io/is-default-class=true --overwrite
fi

if [ "$INGRESS" = "true" ]; then
  step "Contour $CONTOUR_VERSION: Envoy answers on port 80 of every worker"
  manifest="$CACHE_DIR/contour-${CONTOUR_VERSION}-offline.yaml"
  if [ ! -s "$manifest" ]; then
    release="$CACHE_DIR/contour-${CONTOUR_VERSION}.yaml"
    fetch_once "https://raw.githubusercontent.com/projectcontour/contour/${CONTOUR_VERSION}/examples/render/contour.yaml" "$release"
    # Always-pull would send every restarted Envoy to the registry: a room without internet uses what prefetch pulled.
    sed -e 's/imagePullPolicy: Always/imagePullPolicy: IfNotPresent/' "$release" >"$manifest.partial"
    mv "$manifest.partial" "$manifest"
  fi
  kubectl apply -f "$manifest"
  # The default class: Ingresses written without ingressClassName (lesson 6) go to Contour.
  kubectl apply -f "$SHARED_DIR/addons/ingress/contour-ingressclass.yaml"
fi

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
