#!/usr/bin/env bash
# Installs the Debian packages casevault needs (only those missing) and builds
# it (Release, -j2) into build/. Idempotent; prints nothing but a summary line
# when everything is already there. Usage: scripts/setup.sh [--sanitize]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libsqlcipher-dev libsodium-dev libssl-dev
  nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev
  clang libclang-rt-14-dev python3-grpcio
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=Release)
if [ "${1:-}" = "--sanitize" ]; then
  build_dir=build-asan
  # The benchmark is measured in the Release build only.
  cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASEVAULT_SANITIZE=ON
              -DCASEVAULT_BUILD_BENCH=OFF
              -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++)
fi

log="$build_dir/setup.log"
mkdir -p "$build_dir"
if ! { cmake -S . -B "$build_dir" "${cmake_args[@]}" && cmake --build "$build_dir" -j2; } >"$log" 2>&1; then
  tail -n 60 "$log"
  echo "setup: build failed; the full log is in $log" >&2
  exit 1
fi
echo "setup: $build_dir is up to date"
