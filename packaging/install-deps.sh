#!/usr/bin/env bash
# Installs Factorscope's build and test dependencies on Debian 12 (bookworm), from Debian's
# archive only. Run as root or with sudo. Used by the README and by CI.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
    exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
    build-essential cmake ninja-build pkg-config git \
    libtorch-dev libeigen3-dev nlohmann-json3-dev libzip-dev zlib1g-dev \
    libsqlite3-dev libcurl4-openssl-dev libssl-dev ca-certificates \
    qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev qt6-qpa-plugins \
    fonts-dejavu-core xvfb xauth \
    desktop-file-utils appstream dpkg-dev file
