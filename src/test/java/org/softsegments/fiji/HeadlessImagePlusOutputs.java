package org.softsegments.fiji;

import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

/**
 * Tests only (in the test class path's plugin index): stands in for Fiji's ImageJ 1.x layer
 * (imagej-legacy), which shows a command's {@link ImagePlus} outputs. The tests' bare SciJava
 * context has nothing that can display an ImagePlus, so SciJava's {@code DisplayPostprocessor}
 * would log "Ignoring unsupported output: Soft segments [ij.CompositeImage]" after every run.
 * Running just before it, this marks ImagePlus outputs as handled (headless: nothing to show); the
 * tests read them from the module. The commands and what Fiji does with their outputs are unchanged.
 */
@Plugin(type = PostprocessorPlugin.class, priority = Priority.VERY_LOW + 1)
public class HeadlessImagePlusOutputs extends AbstractPostprocessorPlugin {

	@Override
	public void process(final Module module) {
		for (final ModuleItem<?> output : module.getInfo().outputs()) {
			final String name = output.getName();
			if (!module.isOutputResolved(name) && output.getValue(module) instanceof ImagePlus) module.resolveOutput(name);
		}
	}
}
