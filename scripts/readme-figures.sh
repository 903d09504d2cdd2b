#!/usr/bin/env bash
# Renders the README's figures of the Fiji output into docs/images/ (see
# src/test/java/org/softsegments/fiji/ReadmeFigures.java): fiji-output.png always, and
# fiji-windows.png, a screenshot of ImageJ 1.x windows, when xvfb-run (Debian: xvfb) is available.
# Takes a minute or two (240x180 scene, paper defaults).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0" 2>/dev/null || echo "$0")")/.."
out="${1:-docs/images}"
mvn -B -q -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -DincludeScope=test >&2
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
opts=(-Xmx4g -Djava.util.prefs.userRoot=target/java-prefs)
if command -v xvfb-run >/dev/null 2>&1; then
  xvfb-run -a -s "-screen 0 1280x800x24" java "${opts[@]}" -cp "$cp" org.softsegments.fiji.ReadmeFigures "$out" --screenshot
else
  echo "readme-figures: no xvfb-run, so no screenshot (Debian: apt-get install xvfb)" >&2
  java "${opts[@]}" -Djava.awt.headless=true -cp "$cp" org.softsegments.fiji.ReadmeFigures "$out"
fi
