package org.edgeq.checkpoint;

/**
 * The row indices of the train, validation and test splits a model was trained with, kept beside it as
 * {@code split.json} so that {@code edgeq eval} measures it on exactly the rows it never saw.
 */
public record SavedSplit(int[] train, int[] validation, int[] test) {
}
