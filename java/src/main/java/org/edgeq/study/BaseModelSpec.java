package org.edgeq.study;

/**
 * One base model a study trains once and shares between its cells: a dataset, an architecture and the training
 * settings that change its weights. Null settings mean the preset's or the dataset's defaults, as for edgeq train.
 *
 * @param dataset   a dataset name as {@code --dataset} takes it (e.g. telescope, fashion-mnist, synthetic-hard)
 * @param model     an architecture name as {@code edgeq train --model} takes it (e.g. dense-simple, cnn-small)
 * @param preset    the training preset ({@code edgeq} or {@code seed})
 * @param epochs    training epochs, null for the preset's
 * @param lr        learning rate, null for the preset's
 * @param batchSize samples per step, null for the preset's
 * @param limit     train on at most this many samples (0: all), for quick studies
 * @param seed      the seed of the split, the initial weights and the shuffling
 */
public record BaseModelSpec(String dataset, String model, String preset, Integer epochs, Float lr, Integer batchSize,
                            int limit, long seed) {

    /** Every setting that changes the trained weights, in a fixed order and number format (the part of a cell id naming its base model). */
    public String canonical() {
        return "dataset=" + dataset + " model=" + model + " preset=" + preset + " epochs=" + orDash(epochs)
                + " lr=" + orDash(lr) + " batch=" + orDash(batchSize) + " limit=" + limit + " seed=" + seed;
    }

    private static String orDash(Object o) {
        return o == null ? "-" : o.toString();
    }
}
