package org.edgeq.backend;

/**
 * The primitive operations every compute backend implements; everything above this interface (layers, training,
 * compression) is backend-agnostic, and one conformance suite checks every implementation against the CPU one.
 *
 * <p>The operations come in families, one interface each, read in this order:
 * <table>
 *   <caption>Families of the Backend SPI</caption>
 *   <tr><th>family</th><th>operations</th></tr>
 *   <tr><td>{@link MemoryOps}</td><td>allocate, upload, download, fill, copy</td></tr>
 *   <tr><td>{@link LinalgOps}</td><td>gemm, axpy, scale, addRowVector, sumRows, sum, sumOfSquares, allFinite</td></tr>
 *   <tr><td>{@link NnOps}</td><td>relu, conv2d, maxPool2d, batchNorm, dropout (each with its backward),
 *       conv2dWorkspaceFloats; the losses softmaxCrossEntropy, argmaxRows, meanSquaredError,
 *       softTargetKlDivergence</td></tr>
 *   <tr><td>{@link OptimOps}</td><td>adamStep, sgdStep</td></tr>
 *   <tr><td>{@link QuantOps}</td><td>fakeQuantize, its straight-through and LSQ backward, per tensor and per
 *       channel; minMax, minMaxPerChannel</td></tr>
 *   <tr><td>{@link PruneOps}</td><td>applyMask</td></tr>
 * </table>
 * The families are sealed: they are chapters of this one SPI, implemented only through it. docs/cuda-ops.md follows
 * every operation of the CUDA backend down to its C entry point and kernel.
 *
 * <p>Conventions: tensors are dense row-major F32 unless stated; a 2-D tensor [rows, cols] is a matrix; an
 * operation never allocates tensors visible to the caller (outputs are passed in), so a training loop allocates
 * nothing per batch once its buffers exist. Shapes are checked before any work and a mismatch throws
 * {@link IllegalArgumentException} naming the operation and the shapes. Output arguments may not alias inputs
 * unless the method says so.
 */
public non-sealed interface Backend extends MemoryOps, LinalgOps, NnOps, OptimOps, QuantOps, PruneOps, AutoCloseable {

    /** Short name used on the command line and in reports, e.g. "cpu". */
    String name();

    /** One line describing the hardware and threads used, for reports and {@code edgeq doctor}. */
    String description();

    /** Releases threads and resources the backend holds (not the tensors: their scopes own them). */
    @Override
    void close();
}
