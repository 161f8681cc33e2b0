/**
 * Pruning: choosing which weights to remove (the seed's per-layer dense-rank rule, exact layer-wise and global
 * magnitude, 2:4 structured sparsity), masks that keep removed weights exactly zero through fine-tuning, the
 * gradual polynomial schedule of Zhu and Gupta (2017), prune-then-quantize, and sparsity reports.
 *
 * <p>Only weights are pruned, never biases: the seed's rule ranks a layer's weight matrix |w| (DESIGN.md §4), and
 * a bias costs one value per output channel, too little to matter for size while removing it shifts every
 * activation. The output layer is left alone by default, as in the seed.
 */
package org.edgeq.prune;
