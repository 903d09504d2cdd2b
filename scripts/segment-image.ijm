// segment-image.ijm: Semantic Soft Segments from an ImageJ macro.
//
// Opens an image, splits it into soft layers with
//   Plugins > Segmentation > Semantic Soft Segments
// and saves
//   <name>_soft_segments.tif   32-bit hyperstack, one channel per layer (opens as a hyperstack)
//   <name>_visualization.png   the layers' colour composite
//
// In Fiji: Plugins > Macros > Run... and pick this file (it asks for the image and the output
// folder). Headless:
//   ImageJ-linux64 --headless -batch scripts/segment-image.ijm "input=/data/photo.png output=/data/out"
// The argument may also set segments=K, seed=S, features=[bundled U-Net] (default [colour only];
// or features=[custom model folder] with model=/path/to/model-folder) and
//   advanced=[superpixels=2500 eigenvectors=100 semantic_weight=0.01 colour_weight=0.01]
// (the paper's defaults; fewer superpixels and eigenvectors are faster and coarser).

arg = getArgument();
input = call("ij.Macro.getValue", arg, "input", "");
output = call("ij.Macro.getValue", arg, "output", "");
segments = call("ij.Macro.getValue", arg, "segments", "5");
seed = call("ij.Macro.getValue", arg, "seed", "1");
features = call("ij.Macro.getValue", arg, "features", "colour only");
model = call("ij.Macro.getValue", arg, "model", "");
advanced = call("ij.Macro.getValue", arg, "advanced", "superpixels=2500 eigenvectors=100");
if (input == "") input = File.openDialog("Image to segment");
if (output == "") output = getDirectory("Folder for the layers");
if (!endsWith(output, File.separator) && !endsWith(output, "/")) output = output + File.separator;

setBatchMode(true);
open(input);
title = getTitle();
name = File.getNameWithoutExtension(input);

// The macro keys are the command's parameter names; the input is the active image.
options = "segments=" + segments + " features=[" + features + "] seed=" + seed + " " + advanced + " visualization";
if (model != "") options = options + " model=[" + model + "]";
run("Semantic Soft Segments", options);

selectImage(title + " soft segments");
layers = nSlices;
saveAs("Tiff", output + name + "_soft_segments.tif");
selectImage(title + " soft segments visualisation");
saveAs("PNG", output + name + "_visualization.png");
close("*");
setBatchMode(false);
print("Semantic Soft Segments: " + layers + " layers of " + title + " saved in " + output);
