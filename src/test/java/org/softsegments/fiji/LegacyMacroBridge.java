package org.softsegments.fiji;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Menus;
import ij.WindowManager;
import ij.plugin.PlugIn;

/**
 * Test stand-in for what Fiji's imagej-legacy does for SciJava commands: it lets ImageJ 1.x
 * macros call a command with {@code run("Menu label", "key=value ...")}. Registered in ImageJ
 * 1.x's command table as an ImageJ 1.x plugin whose argument is the command class. Headless
 * ImageJ 1.x has no command table (building it needs AWT menus, and {@code IJ.run} then fails
 * with a HeadlessException), so {@link #register} creates it by reflection, filled with ImageJ's
 * own commands from {@code IJ_Props.txt}.
 * <p>
 * Mapping of the macro options string to the command's inputs, as in imagej-legacy: the value
 * of every input is {@code Macro.getValue(options, name)}, converted by SciJava's
 * {@link ConvertService}; a boolean is true when its key appears; an {@link ImagePlus} input is
 * the image with the given title, and the single auto-filled ImagePlus input without a key is
 * the active image. Inputs without a key keep the command's defaults. After the run, every
 * {@link ImagePlus} output is shown (in batch mode: becomes the active batch-mode image).
 */
public class LegacyMacroBridge implements PlugIn {

	private static Context context;

	/**
	 * Registers {@code command} under {@code label} in ImageJ 1.x's command table. A missing
	 * table (headless) is first filled with ImageJ's own commands from {@code IJ_Props.txt}
	 * (e.g. "PNG..." that {@code saveAs("PNG", …)} runs), as the GUI's menu bar would.
	 */
	public static synchronized void register(final Context ctx, final String label,
		final Class<? extends Command> command) throws ReflectiveOperationException, IOException
	{
		context = ctx;
		final Field f = Menus.class.getDeclaredField("pluginsTable");
		f.setAccessible(true);
		@SuppressWarnings("unchecked")
		Hashtable<String, String> table = (Hashtable<String, String>) f.get(null);
		if (table == null) {
			table = builtInCommands();
			f.set(null, table);
		}
		table.put(label, LegacyMacroBridge.class.getName() + "(\"" + command.getName() + "\")");
	}

	/** The commands that ImageJ 1.x's IJ_Props.txt installs: label → plugin class (with argument). */
	private static Hashtable<String, String> builtInCommands() throws IOException {
		final Hashtable<String, String> table = new Hashtable<>();
		final Pattern entry = Pattern.compile("^\\w+=\"(.+?)\",(.+)$");
		try (InputStream in = IJ.class.getResourceAsStream("/IJ_Props.txt")) {
			if (in == null) throw new IOException("IJ_Props.txt not found in ij.jar");
			for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
				final Matcher m = entry.matcher(line.trim());
				if (!m.matches()) continue;
				// a trailing [x] is the keyboard shortcut, not part of the command name
				table.put(m.group(1).replaceFirst("\\[.{1,3}\\]$", ""), m.group(2).trim());
			}
		}
		return table;
	}

	@Override
	public void run(final String commandClass) {
		final String options = Macro.getOptions() == null ? "" : Macro.getOptions();
		final CommandInfo info = context.service(CommandService.class).getCommand(commandClass);
		if (info == null) throw new IllegalStateException("No command " + commandClass);
		final ModuleService modules = context.service(ModuleService.class);
		final ConvertService convert = context.service(ConvertService.class);
		final Module module = modules.createModule(info);
		for (final ModuleItem<?> input : info.inputs()) {
			final Class<?> type = input.getType();
			final String name = input.getName();
			if (Service.class.isAssignableFrom(type) || Context.class.isAssignableFrom(type)) continue;
			final String value = Macro.getValue(options, name, null);
			if (type == ImagePlus.class) {
				final ImagePlus imp = value != null ? WindowManager.getImage(value) : input.isAutoFill() ? WindowManager
					.getCurrentImage() : null;
				if (value != null && imp == null) throw new IllegalArgumentException("No image titled '" + value + "'");
				module.setInput(name, imp);
			}
			else if (type == boolean.class || type == Boolean.class) {
				module.setInput(name, Pattern.compile("(^|\\s)" + Pattern.quote(name) + "(\\s|=true|$)").matcher(options)
					.find());
			}
			else if (value != null) {
				module.setInput(name, convert.convert(value, type));
			}
			module.resolveInput(name); // no key: keep the command's default, never a persisted value
		}
		final Module done;
		try {
			done = modules.run(module, true).get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
		catch (final ExecutionException e) {
			throw new IllegalStateException(info.getTitle() + " failed: " + e.getCause(), e);
		}
		for (final ModuleItem<?> output : info.outputs()) {
			final Object value = output.getValue(done);
			if (value instanceof ImagePlus) ((ImagePlus) value).show();
		}
	}
}
