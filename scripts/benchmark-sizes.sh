#!/usr/bin/env bash
# Runs the whole pipeline on synthetic scenes at several sizes, one JVM per size and path, and
# prints a Markdown table (per-stage wall time, peak heap and RSS, quality on the scene's known
# alpha); also writes a CSV and two plots (time and memory against megapixels, one line per path).
# Usage: scripts/benchmark-sizes.sh [SIZE ...]   (default: 320x240 400x300 640x480 1024x768 1600x1200 2048x1536)
# Environment: SSS_HEAP (default 8g), SSS_OUT (default bench-results/sizes; writes sizes.md, sizes.csv,
#   time-vs-size.png, memory-vs-size.png and medians.md there), SSS_PATHS (default "reference fast";
#   "fast+unet" / "reference+unet" compute the features with the bundled U-Net), SSS_REPEATS (default 1:
#   runs per path and size, each in a fresh JVM; the plots and medians.md use the medians),
#   SSS_REFERENCE_MAX_PIXELS (default 400000: larger sizes run the fast path only).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(320x240 400x300 640x480 1024x768 1600x1200 2048x1536)
out=${SSS_OUT:-bench-results/sizes}
mkdir -p "$out"
rm -f "$out/sizes.csv"
scripts/build-classpath.sh >/dev/null
cp="target/classes:$(cat target/classpath.txt)"
{
  echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1), heap limit ${SSS_HEAP:-8g}, $(date -u +%Y-%m-%d)"
  echo
  first=--header
  for path in ${SSS_PATHS:-reference fast}; do
    mode=${path%+unet}
    features=none
    [ "$mode" = "$path" ] || features=unet
    for s in "${sizes[@]}"; do
      w=${s%x*}; h=${s#*x}
      if [ "$mode" = reference ] && [ $((w * h)) -gt "${SSS_REFERENCE_MAX_PIXELS:-400000}" ]; then continue; fi
      for ((run = 0; run < ${SSS_REPEATS:-1}; run++)); do
        java -Xmx"${SSS_HEAP:-8g}" -Djava.awt.headless=true -cp "$cp" org.softsegments.bench.SizeBenchmark "$s" \
          --mode "$mode" --features "$features" --csv "$out/sizes.csv" $first
        first=
      done
    done
  done
} | tee "$out/sizes.md"
java -Djava.awt.headless=true -cp "$cp" org.softsegments.bench.ScalingPlot "$out/sizes.csv" "$out"
