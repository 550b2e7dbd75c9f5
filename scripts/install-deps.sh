#!/usr/bin/env bash
# Installs every Debian package the build, tests and benchmarks need, by name.
# Idempotent and quiet: packages already present are not touched.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libsimdjson-dev libsqlite3-dev libcpp-httplib-dev nlohmann-json3-dev libcli11-dev
  libxxhash-dev zlib1g-dev libssl-dev openssl libcsv-dev libgtest-dev libgmock-dev
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  clang libclang-rt-14-dev
  nodejs npm
  chromium
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk python3 sqlite3 curl time bc clickhouse-server clickhouse-client)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# The machine may ship its own Node.js outside Debian's packages; use it when new enough.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
