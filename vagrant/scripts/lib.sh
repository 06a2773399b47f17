#!/usr/bin/env bash
# Shared by the provisioning scripts (sourced, never run alone).

# `kubewars cluster up` turns these lines into the per-VM progress display.
step() {
  echo "[kubewars] step: $*"
}

# The directory Vagrant shares with the host: configs/ written here is what the host and the workers read.
export SHARED_DIR=/vagrant
export CONFIG_DIR="$SHARED_DIR/configs"

# Downloaded manifests are kept here, so re-running a script (e.g. `kubewars cluster up` in a room without
# internet) never needs the network again.
export CACHE_DIR=/etc/kubewars

# fetch_once URL FILE: downloads URL to FILE unless FILE is already there.
fetch_once() {
  if [ ! -s "$2" ]; then
    mkdir -p "$(dirname "$2")"
    curl -fsSL --retry 5 -o "$2.partial" "$1"
    mv "$2.partial" "$2"
  fi
}
