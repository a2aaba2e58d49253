#!/usr/bin/env bash
# make demo: runs vigil's main job on data it generates. Grows with each capability.
set -euo pipefail
build=${1:-build/release}
echo "demo: vigil built at $build/vigil"
"$build/vigil" --version
