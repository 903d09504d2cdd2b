#!/usr/bin/env bash
# Runs the whole pipeline on synthetic scenes at several sizes, one JVM per size, and prints a
# Markdown table (per-stage wall time, peak heap and RSS, quality on the scene's known alpha).
# Usage: scripts/benchmark-sizes.sh [SIZE ...]   (default: 160x120 320x240 320x320 640x480)
# Environment: SSS_HEAP (default 8g), SSS_OUT (default bench-results/sizes.md)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(160x120 320x240 320x320 640x480)
out=${SSS_OUT:-bench-results/sizes.md}
mkdir -p "$(dirname "$out")"
scripts/build-classpath.sh >/dev/null
cp="target/classes:$(cat target/classpath.txt)"
{
  echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1), heap limit ${SSS_HEAP:-8g}, $(date -u +%Y-%m-%d)"
  echo
  first=--header
  for s in "${sizes[@]}"; do
    java -Xmx"${SSS_HEAP:-8g}" -cp "$cp" org.softsegments.bench.SizeBenchmark "$s" $first
    first=
  done
} | tee "$out"
