#!/usr/bin/env bash
# How close to its teacher a distilled network must be (README, "How close a student must be"):
# the fast path on blends of the teacher's projected features and the student's prediction of them,
# org.softsegments.training.FeatureFidelityStudy (test sources).
#   scripts/fidelity-study.sh --student DIR --targets DIR --teacher FILE.tflite [--mix 0,0.25,0.5,0.75,1] [--components M] CASES... --out DIR [--set seed=S]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -DincludeScope=test >&2
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
exec java -Xmx8g -Djava.awt.headless=true -cp "$cp" org.softsegments.training.FeatureFidelityStudy "$@"
