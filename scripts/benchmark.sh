#!/usr/bin/env bash
# Quality and speed benchmark (issue 3): runs sss / colour / spectral-matting on folders of
# cases and writes RESULTS_DIR/{results.csv, summary.md, plots/, contact-sheets/}.
#   scripts/benchmark.sh CASES_DIR[:N]... --out RESULTS_DIR [--scale F] [--methods sss,colour,spectral-matting]
#                        [--limit N] [--isolate] [--max-minutes M] [--set NAME=VALUE] ...
#   scripts/benchmark.sh --make-synthetic DIR [WIDTHxHEIGHT]   (writes synthetic cases with known alpha)
#   scripts/benchmark.sh --help
# Environment: SSS_HEAP (default 8g): the Java heap limit (also of the --isolate worker JVMs).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/build-classpath.sh" >/dev/null
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
if [ "${1:-}" = "--make-synthetic" ]; then
  shift
  exec java -Djava.awt.headless=true -cp "$cp" org.softsegments.bench.SyntheticCases "$@"
fi
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  exec java -cp "$cp" org.softsegments.bench.BenchmarkMain
fi
exec java -Xmx"${SSS_HEAP:-8g}" -Djava.awt.headless=true -cp "$cp" org.softsegments.bench.BenchmarkMain "$@"
