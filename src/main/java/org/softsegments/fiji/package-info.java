/**
 * Fiji front ends: thin SciJava commands over the engine
 * ({@link org.softsegments.engine.SemanticSoftSegmentation}); no algorithm code here.
 * <ul>
 * <li>{@link org.softsegments.fiji.SemanticSoftSegmentsCommand} — {@code Plugins › Segmentation
 * › Semantic Soft Segments}: the active image → a 32-bit layer hyperstack (+ optional colour
 * visualisation). Macro keys: {@code segments features feature_image model seed superpixels
 * eigenvectors semantic_weight colour_weight visualization}.</li>
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
 * hyperstack conversion (accepted inputs, value scaling, LUTs, labels, calibration), usable
 * by other front ends (e.g. a command-line runner that reads images with ImageJ 1.x).</li>
 * </ul>
 * Examples: {@code scripts/segment-image.ijm} (ImageJ macro) and {@code scripts/segment-image.py}
 * (Jython through the CommandService). Both are executed by the tests: the Jython script in
 * Jython's PythonInterpreter; the macro in headless ImageJ 1.x with the command registered in
 * ImageJ 1.x's command table by a test bridge that does what imagej-legacy does in Fiji
 * (headless ImageJ 1.x cannot build its own command table: it needs AWT menus).
 * <p>
 * Headless: the commands touch no AWT toolkit (ImageJ's image classes only use AWT's colour
 * model classes); errors are exceptions headless and error dialogs in the GUI.
 */
package org.softsegments.fiji;
