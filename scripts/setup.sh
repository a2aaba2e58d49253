#!/usr/bin/env bash
# Installs everything vigil needs on a fresh Debian 12 machine. Safe to run twice: it installs only what is
# missing and says what it installs.
#
#   scripts/setup.sh            Debian packages + DuckDB 1.4.4 (prebuilt, from the npm registry)
#   VIGIL_SETUP_CHROMIUM=0 ...  without Debian's chromium (the report rendering test then skips; the
#                               install took 31 s here, apt-get update included)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
duckdb_version=1.4.4
bindings_version=1.4.4-r.4
duckdb_dir="$root/third_party/duckdb"

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  clang libclang-rt-14-dev clang-format
  libsimdjson-dev nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev
  libcpp-httplib-dev libssl-dev zlib1g-dev libxgboost-dev libgtest-dev libgmock-dev libbenchmark-dev
  libhnswlib-dev libhowardhinnant-date-dev
  python3 python3-pandas python3-numpy python3-xgboost
)
[ "${VIGIL_SETUP_CHROMIUM:-1}" = 1 ] && packages+=(chromium)
# npm fetches DuckDB; a machine that already has Node.js (often not from Debian) keeps its own.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages already installed"
fi

# DuckDB: a system installation wins; otherwise the official prebuilt library from the npm registry.
if [ -f /usr/include/duckdb.h ] || [ -f /usr/local/include/duckdb.h ]; then
  echo "setup: using the system DuckDB"
elif [ -f "$duckdb_dir/$duckdb_version/lib/libduckdb.so" ] && [ -f "$duckdb_dir/$duckdb_version/include/duckdb.h" ]; then
  echo "setup: DuckDB $duckdb_version already unpacked in third_party/duckdb"
else
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "setup: no prebuilt DuckDB for $(uname -m)" >&2; exit 1 ;;
  esac
  echo "setup: installing DuckDB $duckdb_version (npm: @duckdb/node-bindings-linux-$arch@$bindings_version, duckdb@$duckdb_version)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "@duckdb/node-bindings-linux-$arch@$bindings_version" "duckdb@$duckdb_version" >/dev/null 2>&1)
  mkdir -p "$tmp/lib" "$tmp/hdr"
  tar -xzf "$tmp"/duckdb-node-bindings-linux-*.tgz -C "$tmp/lib" package/libduckdb.so
  tar -xzf "$tmp/duckdb-$duckdb_version.tgz" -C "$tmp/hdr" package/src/duckdb/src/include/duckdb.h
  mkdir -p "$duckdb_dir/$duckdb_version/lib" "$duckdb_dir/$duckdb_version/include"
  cp "$tmp/lib/package/libduckdb.so" "$duckdb_dir/$duckdb_version/lib/"
  cp "$tmp/hdr/package/src/duckdb/src/include/duckdb.h" "$duckdb_dir/$duckdb_version/include/"
  echo "setup: DuckDB unpacked into third_party/duckdb/$duckdb_version"
fi
echo "setup: done"
