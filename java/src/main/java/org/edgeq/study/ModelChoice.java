package org.edgeq.study;

import org.edgeq.nn.ModelConfig;

import java.util.List;

/** Values of {@code --model} for {@code edgeq train}: the reference study's architectures and EdgeQ's small CNN. */
public enum ModelChoice {
    DENSE_SIMPLE("dense-simple", "the reference study's dense network, hidden [10]"),
    DENSE_COMPLEX("dense-complex", "the reference study's dense network, hidden [20, 40, 60, 30], dropout 0.1"),
    DENSE("dense", "a dense network with the hidden sizes of --hidden (default 64,32)"),
    CNN_SEED("cnn-seed", "the reference study's CNN (6 conv layers, fc 512), images only"),
    CNN_SMALL("cnn-small", "a small CNN sized for 2 CPU cores, images only"),
    RESNET9("resnet9", "ResNet9, images only");

    public static final List<Integer> DEFAULT_DENSE_HIDDEN = List.of(64, 32);

    private final String cliName;
    private final String summary;

    ModelChoice(String cliName, String summary) {
        this.cliName = cliName;
        this.summary = summary;
    }

    public String cliName() {
        return cliName;
    }

    public String summary() {
        return summary;
    }

    public boolean isDense() {
        return this == DENSE_SIMPLE || this == DENSE_COMPLEX || this == DENSE;
    }

    /**
     * The architecture for inputs of {@code inputShape} and {@code outputs} outputs. {@code hidden} and
     * {@code dropout} (null = the preset's) may only be given where they mean something.
     */
    public ModelConfig config(int[] inputShape, int outputs, List<Integer> hidden, Float dropout) {
        if (hidden != null && this != DENSE) {
            throw new BadUsageException("--hidden applies to --model dense only (" + cliName + " has fixed sizes)");
        }
        if (dropout != null && (this == CNN_SEED || this == RESNET9)) {
            throw new BadUsageException("--dropout does not apply to --model " + cliName + " (its dropout is part of the architecture)");
        }
        if (!isDense() && inputShape.length != 3) {
            throw new BadUsageException("--model " + cliName + " needs images [C, H, W]; this dataset has "
                    + inputShape.length + "-d samples (use a dense model)");
        }
        int[] in = inputShape.clone();
        return switch (this) {
            case DENSE_SIMPLE -> new ModelConfig("dense", in, outputs, List.of(10), dropout == null ? 0f : dropout, false);
            case DENSE_COMPLEX -> new ModelConfig("dense", in, outputs, List.of(20, 40, 60, 30), dropout == null ? 0.1f : dropout, false);
            case DENSE -> new ModelConfig("dense", in, outputs, hidden == null ? DEFAULT_DENSE_HIDDEN : List.copyOf(hidden),
                    dropout == null ? 0f : dropout, false);
            case CNN_SEED -> new ModelConfig("cnn-seed", in, outputs, List.of(), 0f, false);
            case CNN_SMALL -> new ModelConfig("cnn-small", in, outputs, List.of(), dropout == null ? 0.25f : dropout, false);
            case RESNET9 -> new ModelConfig("resnet9", in, outputs, List.of(), 0f, false);
        };
    }

    @Override
    public String toString() {
        return cliName;
    }
}
