/**
 * What every stage of the engine uses, below the stages and the facade
 * ({@code org.softsegments.engine}): {@link org.softsegments.core.Progress} (progress reports and
 * cancellation checkpoints, {@link org.softsegments.core.SegmentationCancelledException}) and
 * {@link org.softsegments.core.Parallel} (deterministic parallel loops: fixed chunks, ordered
 * reductions, so results do not depend on the number of threads). No dependency on any other
 * package of the project.
 */
package org.softsegments.core;
