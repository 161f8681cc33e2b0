/**
 * Pruning: choosing which elements to remove (the seed's per-tensor dense-rank rule, exact layer-wise and global
 * magnitude, 2:4 structured sparsity), masks per parameter tensor that keep removed elements exactly zero through
 * fine-tuning and quantization, the gradual polynomial schedule of Zhu and Gupta (2017), prune-then-quantize, and
 * sparsity reports.
 *
 * <p>The seed's rule ({@link org.edgeq.prune.SeedMagnitudePruner}) prunes every parameter tensor but the last
 * state-dict entry: hidden biases, batch-norm scales and shifts and the output weight too. EdgeQ's own rules prune
 * only the weights of the Linear and Conv2d layers and leave the output layer alone unless asked: a bias costs one
 * value per output channel, too little to matter for size while removing it shifts every activation, and the
 * output layer is small and decides every prediction.
 */
package org.edgeq.prune;
