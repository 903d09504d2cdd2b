#!/usr/bin/env bash
# Renders the README's editing figure (docs/images/editing.png) from docs/photos/astronaut.jpg and
# its strokes docs/photos/astronaut-strokes.png: org.softsegments.unmix.EditingFigure (test sources).
#   scripts/editing-figure.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -DincludeScope=test >&2
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
java -Xmx4g -Djava.awt.headless=true -cp "$cp" org.softsegments.unmix.EditingFigure \
  "${1:-docs/images/editing.png}" docs/photos/astronaut.jpg docs/photos/astronaut-strokes.png
