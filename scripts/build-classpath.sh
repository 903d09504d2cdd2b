#!/usr/bin/env bash
# Compiles the project (without tests) if needed and writes its runtime class path to
# target/classpath.txt. Used by the launcher and benchmark scripts. A lock keeps array jobs that
# start together on a fresh checkout from building at the same time (where flock exists).
set -euo pipefail
cd "$(dirname "$0")/.."
stale() {
  [ ! -f target/classpath.txt ] || [ ! -d target/classes ] ||
    [ -n "$(find src/main pom.xml scripts/build-classpath.sh -newer target/classpath.txt -print -quit)" ]
}
# True when the local Maven repository lacks the big dependencies (first build on this machine).
# MAVEN_REPO: the local repository, if not ~/.m2/repository (e.g. a localRepository in settings.xml).
first_build() {
  local repo="${MAVEN_REPO:-$HOME/.m2/repository}"
  [ ! -f "$repo/org/tensorflow/tensorflow-core-api/0.5.0/tensorflow-core-api-0.5.0-linux-x86_64.jar" ] ||
    [ ! -d "$repo/ai/djl/tensorflow/tensorflow-api/0.28.0" ] ||
    [ ! -d "$repo/org/scijava/pom-scijava/45.0.0" ]
}
if stale; then
  mkdir -p target
  if command -v flock >/dev/null 2>&1; then
    exec 9>target/.build.lock
    flock 9
  fi
  if stale; then
    if first_build; then
      # measured: an empty local repository grows by 242 MB (221 jars; the TensorFlow natives alone 117 MB)
      echo "First build of semantic-soft-segments: Maven downloads about 250 MB of dependencies from Maven" \
        "Central (once, into ${MAVEN_REPO:-~/.m2/repository}) and compiles; this takes a minute or two..." >&2
    else
      echo "Building semantic-soft-segments (first use or sources changed)..." >&2
    fi
    # includeScope (not mdep.includeScope): compile + runtime dependencies only, no test or provided jars
    mvn -B -q -Dstyle.color=never compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
      -DincludeScope=runtime >&2
    touch target/classpath.txt  # the plugin leaves an unchanged file untouched
  fi
fi
echo target/classpath.txt
