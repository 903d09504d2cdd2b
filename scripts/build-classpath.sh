#!/usr/bin/env bash
# Compiles the project (without tests) if needed and writes its runtime class path to
# target/classpath.txt. Used by the launcher and benchmark scripts. A lock keeps array jobs that
# start together on a fresh checkout from building at the same time (where flock exists).
set -euo pipefail
cd "$(dirname "$0")/.."
stale() {
  [ ! -f target/classpath.txt ] || [ ! -d target/classes ] ||
    [ -n "$(find src/main pom.xml -newer target/classpath.txt -print -quit)" ]
}
if stale; then
  mkdir -p target
  if command -v flock >/dev/null 2>&1; then
    exec 9>target/.build.lock
    flock 9
  fi
  if stale; then
    echo "Building semantic-soft-segments (first use or sources changed)..." >&2
    mvn -B -q -Dstyle.color=never compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
      -Dmdep.includeScope=runtime >&2
    touch target/classpath.txt  # the plugin leaves an unchanged file untouched
  fi
fi
echo target/classpath.txt
