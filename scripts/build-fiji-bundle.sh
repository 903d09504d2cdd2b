#!/usr/bin/env bash
# Builds the Fiji bundle: target/fiji-bundle/Fiji.app/jars/ holds the plugin jar (SciJava plugin
# index, ops.yaml, the bundled U-Net; EJML, DJL, the TensorFlow 2 Java API and a relocated protobuf
# inside) and the dependency jars Fiji lacks; jars/linux64/ the TensorFlow natives. See
# docs/install-fiji.md.
#   scripts/build-fiji-bundle.sh                  build (no tests)
#   scripts/build-fiji-bundle.sh --check          build and run the bundle check (FijiBundleIT)
#   scripts/build-fiji-bundle.sh [--check] /path/to/Fiji.app
#                                                 build, then install into that Fiji
set -euo pipefail
cd "$(dirname "$(readlink -f "$0" 2>/dev/null || echo "$0")")/.."

check=0
fiji=""
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "build-fiji-bundle: unknown option $arg" >&2; exit 2 ;;
    *) [ -z "$fiji" ] || { echo "build-fiji-bundle: give one Fiji.app folder" >&2; exit 2; }; fiji="$arg" ;;
  esac
done
if [ -n "$fiji" ] && [ ! -d "$fiji/jars" ]; then
  echo "build-fiji-bundle: $fiji is not a Fiji.app folder (it has no jars/ folder)" >&2
  exit 2
fi

if [ "$check" = 1 ]; then
  # unit tests skipped (-Dtest=NONE); the failsafe check of the bundle runs
  mvn -B -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
else
  mvn -B -q package -DskipTests
fi
bundle=target/fiji-bundle/Fiji.app
echo "Bundle: $PWD/$bundle"
(cd "$bundle" && find . -type f | sort | sed 's|^\./|  |')
[ -n "$fiji" ] || exit 0

# install: replace older versions of the plugin jar; never overwrite another version of a
# dependency that some other update site put there (a warning says so instead)
mkdir -p "$fiji/jars/linux64"
for jar in "$bundle"/jars/*.jar "$bundle"/jars/linux64/*.jar; do
  name="$(basename "$jar")"
  sub="$(basename "$(dirname "$jar")")"; [ "$sub" = linux64 ] && sub=jars/linux64 || sub=jars
  artifact="$(echo "$name" | sed -E 's/-[0-9][^-]*(-SNAPSHOT)?\.jar$//')"
  if [ "$artifact" = semantic-soft-segments ]; then
    for dir in "$fiji/jars" "$fiji/plugins"; do
      [ -d "$dir" ] || continue
      find "$dir" -maxdepth 1 -name 'semantic-soft-segments-*.jar' ! -name "$name" -print -delete |
        sed 's/^/  removed older /'
    done
  else
    other="$(find "$fiji/$sub" -maxdepth 1 -name "$artifact-[0-9]*.jar" ! -name "$name" -print -quit)"
    if [ -n "$other" ]; then
      echo "  warning: $other is already there; not adding $name (remove one of them if the plugin fails)" >&2
      continue
    fi
  fi
  cp "$jar" "$fiji/$sub/"
  echo "  installed $sub/$name"
done
for tf1 in "$fiji"/jars/libtensorflow-1*.jar; do
  [ -e "$tf1" ] || continue
  echo "  warning: $tf1 (TensorFlow 1.x, from the CSBDeep / TensorFlow update sites) is there: the feature" >&2
  echo "  network choices (bundled U-Net, custom model folder) may report a conflict; colour only works" >&2
done
echo "Restart Fiji: Plugins > Segmentation > Semantic Soft Segments"
