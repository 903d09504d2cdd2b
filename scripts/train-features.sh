#!/usr/bin/env bash
# Trains the semantic feature network (TensorFlow graph mode on the CPU) and exports it to
# models/<name>/ as a SavedModel with its model card. Resumable: run the same command again after
# an interruption (checkpoints in --work). Exit status 3: stopped by --minutes, run it again.
#
#   scripts/train-features.sh [--minutes 60] [--steps 1000] [--out models/sss-unet-d32] ...   (the U-Net)
#   scripts/train-features.sh distill --targets DIR [--data ../shared/data/train] [--work target/distill-training]
#       [--minutes M] [--steps 6000] [--out models/sss-distilled] [--export-now]   (the student, from teacher targets)
#   scripts/train-features.sh evaluate models/sss-unet-d32 [--data ../shared/data/train]
#   scripts/train-features.sh held-out [coco|bsds500] [--data ../shared/data/train]   (validation image ids)
#   scripts/train-features.sh teacher-targets --teacher FILE.tflite [--teacher FILE2.tflite] --out DIR
#       [--data ../shared/data/train] [--limit N]   (distillation targets from TFLite teachers, resumable)
#
# Options: see org.softsegments.training.TrainFeaturesMain, DistillFeaturesMain and FeatureEvaluationMain.
# Needs ../shared/data/train (BSDS500 + COCO, see ../shared/data/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(scripts/build-classpath.sh)
CP="target/classes:$(cat "$cp_file")"
JAVA_OPTS=${JAVA_OPTS:--Xmx4g}
if [ "${1:-}" = "held-out" ]; then
  shift
  exec java -cp "$CP" org.softsegments.training.HeldOutMain "$@"
fi
if [ "${1:-}" = "teacher-targets" ]; then
  shift
  exec java $JAVA_OPTS -cp "$CP" org.softsegments.training.TeacherTargetsMain "$@"
fi
if [ "${1:-}" = "distill" ]; then
  shift
  exec java $JAVA_OPTS -cp "$CP" org.softsegments.training.DistillFeaturesMain "$@"
fi
if [ "${1:-}" = "evaluate" ]; then
  shift
  exec java $JAVA_OPTS -cp "$CP" org.softsegments.training.FeatureEvaluationMain "$@"
fi
exec java $JAVA_OPTS -cp "$CP" org.softsegments.training.TrainFeaturesMain "$@"
