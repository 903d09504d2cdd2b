#!/usr/bin/env bash
# Renders the README's before/after figure docs/images/semantic-before-after.png: the photos of
# docs/photos/ segmented with colour features and with a TFLite segmentation network's features
# (default settings otherwise), see src/test/java/org/softsegments/features/network/SemanticFigure.java.
# Usage: scripts/semantic-figure.sh [MODEL] [OUT.png]
#   MODEL default ../shared/models/deeplabv3-mnv2-pascal-quant.tflite (not part of this project).
# About a minute.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0" 2>/dev/null || echo "$0")")/.."
model="${1:-../shared/models/deeplabv3-mnv2-pascal-quant.tflite}"
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -DincludeScope=test >&2
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
java -Xmx4g -Djava.awt.headless=true -cp "$cp" org.softsegments.features.network.SemanticFigure \
  "${2:-docs/images/semantic-before-after.png}" "$model" docs/photos/astronaut.jpg docs/photos/chelsea.jpg docs/photos/coffee.jpg
