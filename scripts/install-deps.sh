#!/usr/bin/env bash
# Installs every Debian package the build, tests and benchmarks need, by name.
# Idempotent and quiet: packages already present are not touched.
#
#   scripts/install-deps.sh [--bench] [--cluster]
#
# --bench adds the benchmark tools; --cluster adds ZooKeeper (zookeeperd) for the ClickHouse
# test cluster of scripts/clickhouse.sh (make test-cluster).
set -euo pipefail

bench=false
cluster=false
for arg in "$@"; do
  case "$arg" in
    --bench) bench=true ;;
    --cluster) cluster=true ;;
    *) echo "usage: $0 [--bench] [--cluster]" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake pkg-config git
  libsimdjson-dev libsqlite3-dev libcpp-httplib-dev nlohmann-json3-dev libcli11-dev
  libxxhash-dev zlib1g-dev libssl-dev openssl libcsv-dev libgtest-dev libgmock-dev
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  clang libclang-rt-14-dev
  nodejs npm
  chromium
  clickhouse-server clickhouse-client
)
if $bench; then
  packages+=(wrk python3 sqlite3 curl time bc)
fi
if $cluster; then
  packages+=(zookeeperd)
fi
# Packages whose install enables and starts a system service (ClickHouse on 8123/9000/9009,
# ZooKeeper on 2181 and its admin server on 8080, the port `make run` serves on). The tests
# start their own servers on free loopback ports (scripts/clickhouse.sh), so a service this
# script brought in is stopped and disabled again.
declare -A services=([clickhouse-server]=clickhouse-server [zookeeperd]=zookeeper)

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
  for p in "${missing[@]}"; do
    service=${services[$p]:-}
    [[ -n "$service" ]] || continue
    if [[ -d /run/systemd/system ]]; then
      $SUDO systemctl disable --now "$service" >/dev/null 2>&1 || true
    elif command -v invoke-rc.d >/dev/null; then
      $SUDO invoke-rc.d "$service" stop >/dev/null 2>&1 || true
      $SUDO update-rc.d "$service" disable >/dev/null 2>&1 || true
    fi
    echo "install-deps: the system service $service is stopped and disabled (tests run their own)"
  done
fi
