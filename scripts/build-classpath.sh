#!/usr/bin/env bash
# Compiles the project (without tests) if needed and writes its runtime class path to
# target/classpath.txt. Used by the launcher and benchmark scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/classpath.txt ] || [ ! -d target/classes ] || [ -n "$(find src/main pom.xml -newer target/classpath.txt -print -quit)" ]; then
  mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
fi
echo target/classpath.txt
