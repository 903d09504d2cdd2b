/**
 * Fiji front ends: thin SciJava commands over the engine
 * ({@link org.softsegments.engine.SemanticSoftSegmentation}); no algorithm code here.
 * <ul>
 * <li>{@link org.softsegments.fiji.SemanticSoftSegmentsCommand} — {@code Plugins › Segmentation
 * › Semantic Soft Segments}: the active image → a 32-bit layer hyperstack (+ optional colour
 * visualisation). Macro keys: {@code segments features feature_image model seed mode working_pixels
 * cleanup_threshold superpixels eigenvectors semantic_weight colour_weight visualization}, and for
 * the editing workflow {@code strokes stroke_image keep_segments segments_file rgba_layers}, e.g.
 * {@code run("Semantic Soft Segments", "seed=1 strokes=[ROI Manager] keep_segments rgba_layers");}</li>
 * <li>{@link org.softsegments.fiji.RegroupSoftSegmentsCommand} — {@code Plugins › Segmentation ›
 * Regroup Soft Segments}: the soft segments kept by a run ({@code keep_segments}) or written to a
 * file ({@code segments_file}) grouped again into other layers or by other strokes, in about a
 * second. Macro keys: {@code segments strokes stroke_image segments_file visualization rgba_layers},
 * e.g. {@code run("Regroup Soft Segments", "segments=3");} or
 * {@code run("Regroup Soft Segments", "strokes=[label image] stroke_image=scribbles.png");}</li>
 * <li>{@link org.softsegments.fiji.SingleImageCommand} (package-private) — what these two commands
 * share: services, status progress, outputs, errors (exception headless, dialog in the GUI) and
 * cancellation.</li>
 * <li>{@link org.softsegments.fiji.StrokeChoice}, {@link org.softsegments.fiji.StrokeRois},
 * {@link org.softsegments.fiji.KeptSegments}, {@link org.softsegments.fiji.UnmixedLayers}
 * (package-private) — the editing workflow: the {@code strokes} choice (ROI Manager ROIs, by group
 * or name, or a label image → stroke labels), the soft segments kept in memory per photo (weakly,
 * never modifying the photo) or in {@code .sss-segments} files, and the unmixed RGBA layers
 * hyperstack (C = red, green, blue, alpha; Z = layers).</li>
 * <li>{@link org.softsegments.fiji.SemanticSoftSegmentsBatchCommand} — {@code … (Batch)}: a
 * folder → {@code <name>_soft_segments.tif} + {@code <name>_visualization.png} per image. Macro
 * keys: {@code input_folder file_pattern output_folder segments features model seed skip_existing
 * superpixels eigenvectors semantic_weight colour_weight}.</li>
 * <li>{@link org.softsegments.fiji.FeatureNetworkChoice} (package-private) — the network choices
 * of {@code features} ({@code [bundled U-Net]}, {@code [custom model folder]} with {@code model}):
 * the {@link org.softsegments.features.network.FeatureNetwork} is loaded once per run and its
 * failures reach the user as clear messages.</li>
 * <li>{@link org.softsegments.fiji.CommandParameters}, {@link org.softsegments.fiji.BatchRun}
 * (package-private) — the commands' shared parameter checks (messages name the macro keys; the
 * memory check) and the batch's file loop.</li>
 * <li>{@link org.softsegments.fiji.HyperstackConverter} — the shared ImagePlus → engine →
 * hyperstack conversion, usable by other front ends (e.g. a command-line runner that reads
 * images with ImageJ 1.x); its input side is {@link org.softsegments.fiji.ImagePlanes}
 * (accepted inputs, value scaling, feature image), its output side
 * {@link org.softsegments.fiji.LayerHyperstacks} (LUTs, labels, calibration).</li>
 * </ul>
 * Examples: {@code scripts/segment-image.ijm} (ImageJ macro) and {@code scripts/segment-image.py}
 * (Jython through the CommandService). Both are executed by the tests: the Jython script in
 * Jython's PythonInterpreter; the macro in headless ImageJ 1.x with the command registered in
 * ImageJ 1.x's command table by a test bridge that does what imagej-legacy does in Fiji
 * (headless ImageJ 1.x cannot build its own command table: it needs AWT menus).
 * <p>
 * Headless: the commands touch no AWT toolkit (ImageJ's image classes only use AWT's colour
 * model classes); errors are exceptions headless and error dialogs in the GUI. The ROI Manager is a
 * window, so headless ImageJ has none: {@code strokes=[ROI Manager]} then fails with a message that
 * points to {@code strokes=[label image]} (a macro's batch-mode ROI Manager is used where ImageJ can
 * create one, i.e. with a display).
 */
package org.softsegments.fiji;
