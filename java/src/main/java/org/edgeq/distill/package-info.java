/**
 * Knowledge distillation (Hinton, Vinyals and Dean 2015): a student trained on a teacher's temperature-softened
 * outputs together with the labels. The teacher runs as a training hook on each batch, the combined objective is
 * a loss override, so distillation composes with other hooks (quantization-aware training, pruning masks).
 */
package org.edgeq.distill;
