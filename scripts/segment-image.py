#@ File (label="Image to segment", style="open") input_file
#@ File (label="Output folder", style="directory") output_dir
#@ Integer (label="Segments (layers)", value=5, min=2, max=20) segments
#@ String (label="Features", choices={"colour only", "bundled U-Net"}, value="colour only") features
#@ Integer (label="Random seed", value=1) seed
#@ Integer (label="Advanced: superpixels", value=2500, min=10, max=100000) superpixels
#@ Integer (label="Advanced: eigenvectors", value=100, min=5, max=1000) eigenvectors
#@ CommandService command

"""segment-image.py: Semantic Soft Segments from a Jython script.

Opens an image, runs the command "Semantic Soft Segments" through SciJava's CommandService and
saves
    <name>_soft_segments.tif   32-bit hyperstack, one channel per layer
    <name>_visualization.png   the layers' colour composite

In Fiji: open in the Script Editor (language Python) and Run; the #@ lines above make the dialog.
Headless:
    ImageJ-linux64 --ij2 --headless --run scripts/segment-image.py \
        'input_file="/data/photo.png",output_dir="/data/out",segments=5,features="colour only",seed=1,superpixels=2500,eigenvectors=100'
Outside Fiji (as in the project's tests) set the variables above, e.g. with Jython's
PythonInterpreter.set(...), and execute this file.
"""

from java.io import File
from java.util import HashMap
from ij import IJ
from ij.io import FileSaver
from org.softsegments.fiji import SemanticSoftSegmentsCommand

imp = IJ.openImage(input_file.getPath())
if imp is None:
    raise IOError("Cannot open " + input_file.getPath() + " as an image")

# Every parameter of the command, by its macro key (see the command's documentation).
inputs = HashMap()
inputs.put("imp", imp)
inputs.put("segments", segments)
inputs.put("features", features)  # "colour only", "bundled U-Net" (or "custom model folder" with "model")
inputs.put("feature_image", None)
inputs.put("model", None)
inputs.put("seed", seed)
inputs.put("superpixels", superpixels)
inputs.put("eigenvectors", eigenvectors)
inputs.put("semantic_weight", 0.01)
inputs.put("colour_weight", 0.01)
inputs.put("visualization", True)

module = command.run(SemanticSoftSegmentsCommand, True, inputs).get()
if module.isCanceled():
    raise RuntimeError("Semantic Soft Segments was cancelled: " + str(module.getCancelReason()))
layers = module.getOutput("layers")
visualization = module.getOutput("visualization_image")

base = input_file.getName()
name = base[:base.rfind(".")] if base.rfind(".") > 0 else base
if not output_dir.isDirectory() and not output_dir.mkdirs():
    raise IOError("Cannot create the folder " + output_dir.getPath())
folder = output_dir.getPath()
layers_path = File(output_dir, name + "_soft_segments.tif").getPath()
if not FileSaver(layers).saveAsTiff(layers_path):
    raise IOError("Cannot write " + layers_path)
png_path = File(output_dir, name + "_visualization.png").getPath()
if not FileSaver(visualization).saveAsPng(png_path):
    raise IOError("Cannot write " + png_path)
print("Semantic Soft Segments: %d layers of %s saved in %s" % (layers.getNChannels(), input_file.getName(), folder))
