#!/usr/bin/env bash
# Installs Factorscope's build and test dependencies on Debian 12 (bookworm), from Debian's
# archive only. Run as root, or as a user with sudo (it re-runs itself with sudo). Used by the
# README and by CI.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
    exec sudo bash "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
    build-essential cmake ninja-build pkg-config git \
    libtorch-dev libopenblas0-openmp libeigen3-dev nlohmann-json3-dev libzip-dev zlib1g-dev \
    libsqlite3-dev libcurl4-openssl-dev libssl-dev ca-certificates \
    qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev qt6-qpa-plugins \
    fonts-dejavu-core xvfb xauth \
    desktop-file-utils appstream dpkg-dev file
# LibTorch's dense layers run on whichever libblas.so.3 the system picks. OpenBLAS's OpenMP build
# shares LibTorch's OpenMP threads: measured fastest here and steady beside a busy core, where the
# pthreads build's own threads collapsed (docs/PERFORMANCE.md). Pick it where several are installed.
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -dumpmachine)
for lib in libblas.so.3 liblapack.so.3 libopenblas.so.0; do
    alternative=$lib-$multiarch
    target=/usr/lib/$multiarch/openblas-openmp/$lib
    if [ -e "$target" ] && update-alternatives --list "$alternative" >/dev/null 2>&1; then
        update-alternatives --set "$alternative" "$target" >/dev/null
    fi
done
