#!/usr/bin/env bash
# Grouping study (issue 6): the fast path's soft segments of every case grouped three ways (the
# fast path's grouping, the reference grouping of spec §3.10, the oracle grouping by the true
# alpha), each finished like the engine and scored; writes RESULTS_DIR/grouping.csv.
#   scripts/grouping-study.sh CASES_DIR[@LIST][:N]... --out RESULTS_DIR [--seed S] [--scale F] [--set NAME=VALUE] ...
# Environment: SSS_HEAP (default 8g): the Java heap limit.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/build-classpath.sh" >/dev/null
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
exec java -Xmx"${SSS_HEAP:-8g}" -Djava.awt.headless=true -cp "$cp" org.softsegments.bench.GroupingStudy "$@"
