package org.softsegments.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's usage help with option descriptions wrapped at spaces only. picocli wraps with the
 * JDK's line {@link java.text.BreakIterator}, which also breaks after '.', '-' and '/', so that
 * file names and option names came apart at the end of a line ("saved_model.", "pb"; "(--",
 * "write-features)"), at a position that depends on the terminal's width. Here a line ends only
 * at a space; a single word longer than the column is left to picocli.
 */
final class WordWrapHelp extends Help {

	WordWrapHelp(final CommandSpec spec, final ColorScheme scheme) {
		super(spec, scheme);
	}

	@Override
	public Layout createDefaultLayout(final List<OptionSpec> options, final List<PositionalParamSpec> positionals,
		final ColorScheme scheme)
	{
		final Layout base = super.createDefaultLayout(options, positionals, scheme);
		return new Layout(scheme, new SpaceWrappingTable(scheme, base.textTable()), base.optionRenderer(), base
			.parameterRenderer());
	}

	/** A text table whose wrapping columns break lines at spaces only. */
	static final class SpaceWrappingTable extends TextTable {

		private final ColorScheme scheme;

		SpaceWrappingTable(final ColorScheme scheme, final TextTable like) {
			super(scheme, like.columns());
			this.scheme = scheme;
			indentWrappedLines = like.indentWrappedLines;
			setAdjustLineBreaksForWideCJKCharacters(like.isAdjustLineBreaksForWideCJKCharacters());
		}

		@Override
		public Cell putValue(final int row, final int col, final Ansi.Text value) {
			final Column column = columns()[col];
			if (value == null || column.overflow != Column.Overflow.WRAP || row != rowCount() - 1 ||
				value.plainString().indexOf('\n') >= 0)
			{
				return super.putValue(row, col, value);
			}
			final List<int[]> lines = wrap(value.plainString(), column.width - column.indent, column.width -
				column.indent - indentWrappedLines);
			if (lines.size() <= 1) return super.putValue(row, col, value);
			Cell cell = null;
			int r = row;
			for (int i = 0; i < lines.size(); i++) {
				Ansi.Text piece = value.substring(lines.get(i)[0], lines.get(i)[1]);
				if (i > 0) {
					addEmptyRow();
					r++;
					piece = scheme.text(" ".repeat(indentWrappedLines)).concat(piece);
				}
				cell = super.putValue(r, col, piece);
			}
			return cell;
		}

		/**
		 * Greedy wrapping at spaces: the [start, end) ranges of the lines, the first at most
		 * {@code first} characters wide, the others {@code next} (a longer word gets a line of its own).
		 */
		static List<int[]> wrap(final String s, final int first, final int next) {
			final List<int[]> lines = new ArrayList<>();
			int start = 0;
			while (start < s.length() && s.charAt(start) == ' ') start++;
			while (start < s.length()) {
				final int width = Math.max(1, lines.isEmpty() ? first : next);
				int end = start, lastFit = -1;
				while (end < s.length()) {
					int wordEnd = end;
					while (wordEnd < s.length() && s.charAt(wordEnd) != ' ') wordEnd++;
					if (wordEnd - start > width && lastFit >= 0) break;
					lastFit = wordEnd;
					end = wordEnd;
					while (end < s.length() && s.charAt(end) == ' ') end++;
					if (wordEnd - start > width) break; // one word longer than the line
				}
				lines.add(new int[] { start, lastFit });
				start = end;
			}
			return lines;
		}
	}
}
