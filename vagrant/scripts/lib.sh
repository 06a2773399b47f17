#!/usr/bin/env bash
# Shared by the provisioning scripts (sourced, never run alone). Every directory below can be moved with an
# environment variable so the tests run the scripts' decisions in a temporary directory with stubbed commands.

# `kubewars cluster up` turns these lines into the per-VM progress display.
step() {
  echo "[kubewars] step: $*"
}

# The directory Vagrant shares with the host: configs/ written here is what the host and the workers read.
export SHARED_DIR="${SHARED_DIR:-/vagrant}"
export CONFIG_DIR="$SHARED_DIR/configs"
# What `kubewars cluster prefetch` brought from the internet on the host: manifests and images.txt.
export PREFETCH_DIR="$SHARED_DIR/cache"

# Downloaded manifests are kept here, so re-running a script (e.g. `kubewars cluster up` in a room without
# internet) never needs the network again.
export CACHE_DIR="${CACHE_DIR:-/etc/kubewars}"

# kubeadm's directory, and ours for the markers written once `kubeadm init` or `join` has completed: kubeadm writes
# its files before it finishes, so their presence does not prove it did.
export KUBERNETES_DIR="${KUBERNETES_DIR:-/etc/kubernetes}"
export STATE_DIR="${STATE_DIR:-/var/lib/kubewars}"
export INIT_MARKER="$STATE_DIR/kubeadm-init-done"
export JOIN_MARKER="$STATE_DIR/kubeadm-join-done"

# The account `vagrant ssh` logs in as, which gets a kubeconfig on the control plane.
export GUEST_USER="${GUEST_USER:-vagrant}"
export GUEST_GROUP="${GUEST_GROUP:-vagrant}"
export GUEST_HOME="${GUEST_HOME:-/home/vagrant}"

# mark_done MARKER: records that a kubeadm step completed.
mark_done() {
  mkdir -p "$STATE_DIR"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$1"
}

# fetch_once URL FILE: FILE from the host's prefetch cache, or downloaded from URL, unless FILE is already there.
fetch_once() {
  if [ -s "$2" ]; then return 0; fi
  mkdir -p "$(dirname "$2")"
  local prefetched
  prefetched="$PREFETCH_DIR/$(basename "$2")"
  if [ -s "$prefetched" ]; then
    tr -d '\r' <"$prefetched" >"$2.partial"
  else
    curl -fsSL --retry 5 -o "$2.partial" "$1"
  fi
  mv "$2.partial" "$2"
}

# pull_prefetched_images: every image of the list `kubewars cluster prefetch` wrote that containerd lacks. Pulled
# once on a good network and then found in containerd's store, so a room without internet (or behind one address,
# at Docker Hub's anonymous pull limit) pulls nothing.
pull_prefetched_images() {
  [ -s "$PREFETCH_DIR/images.txt" ] || return 0
  local image
  while read -r image; do
    if [ -z "$image" ] || crictl inspecti "$image" >/dev/null 2>&1; then continue; fi
    if ! crictl pull "$image" >/dev/null; then
      echo "Could not pull $image: on a network that reaches its registry run \`kubewars cluster prefetch\` again." >&2
      return 1
    fi
  done < <(tr -d '\r' <"$PREFETCH_DIR/images.txt")
}
