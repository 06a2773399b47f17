#!/usr/bin/env bash
# Shared by the provisioning scripts (sourced, never run alone).

# `kubewars cluster up` turns these lines into the per-VM progress display.
step() {
  echo "[kubewars] step: $*"
}

# The directory Vagrant shares with the host: configs/ written here is what the host and the workers read.
export SHARED_DIR=/vagrant
export CONFIG_DIR="$SHARED_DIR/configs"
