package org.edgeq.nn;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Shape;

import java.util.List;

/** Builds a {@link Model} from its {@link ModelConfig}; the seed fixes initial weights and dropout streams. */
public final class ModelFactory {
    private ModelFactory() {
    }

    public static Model create(ModelConfig config, Backend backend, long seed) {
        Architecture arch = check(config);
        LayerContext ctx = new LayerContext(backend, seed);
        try {
            return new Model(config, describe(arch, config, new NetworkBuilder(ctx, Shape.of(config.inputShape()))), ctx);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    /**
     * The layers {@link #create} would build for {@code config}, as shapes only, in {@link Model#summary()} order and
     * equal to {@link Model#layerShapes()} of the built model; nothing is allocated and no weight is drawn, so this
     * describes a model of any size (a dense network of 20,000-wide layers, say) in microseconds.
     */
    public static List<LayerShape> layerShapes(ModelConfig config) {
        Architecture arch = check(config);
        return LayerShape.of(Model.ROOT, describe(arch, config, NetworkBuilder.shapesOnly(Shape.of(config.inputShape()))));
    }

    private static Architecture check(ModelConfig config) {
        if (config.outputs() <= 0) throw new IllegalArgumentException("model outputs must be positive, got " + config.outputs());
        if (config.inputShape() == null || config.inputShape().length == 0) throw new IllegalArgumentException("model needs an input shape");
        return Architecture.fromName(config.architecture());
    }

    /** The one description of each architecture, for building and for planning alike. */
    private static Sequential describe(Architecture arch, ModelConfig config, NetworkBuilder b) {
        switch (arch) {
            case DENSE -> dense(b, config);
            case CNN_SEED -> cnnSeed(b, requireImage(config), config.outputs());
            case CNN_SMALL -> cnnSmall(b, requireImage(config), config);
            case RESNET9 -> resnet9(b, requireImage(config), config.outputs());
        }
        return b.build();
    }

    private static Shape requireImage(ModelConfig c) {
        if (c.inputShape().length != 3) {
            throw new IllegalArgumentException(c.architecture() + " needs an image input [C, H, W], got " + java.util.Arrays.toString(c.inputShape()));
        }
        return Shape.of(c.inputShape());
    }

    /** Linear-[BN]-ReLU-[Dropout] per hidden size, then a linear output layer. */
    private static void dense(NetworkBuilder b, ModelConfig c) {
        if (b.shape().rank() != 1) b.flatten();
        for (int h : c.hidden() == null ? java.util.List.<Integer>of() : c.hidden()) {
            if (h <= 0) throw new IllegalArgumentException("dense hidden sizes must be positive, got " + c.hidden());
            b.linear(h);
            if (c.batchNorm()) b.batchNorm();
            b.relu();
            b.dropout(c.dropout());
        }
        b.linear(c.outputs());
    }

    /** DESIGN.md §5: conv32(BN)-conv64-pool-conv128(BN)-conv128(BN)-pool-conv256(BN)-conv256(BN)-pool-fc512-fc. */
    private static void cnnSeed(NetworkBuilder b, Shape in, int classes) {
        // model/cnn.py's CNN layer for layer (indices net.0 .. net.26), so state-dict names and the seed's per-tensor
        // rules line up with the seed's; dropout 0.2 after the first pool, 0.3 inside block 2 and before flatten.
        b.conv3x3(32, true).batchNorm().relu();
        b.conv3x3(64, true).relu().maxPool(2);
        b.dropout(0.2f).conv3x3(128, true).batchNorm().relu().dropout(0.3f);
        b.conv3x3(128, true).batchNorm().relu().maxPool(2);
        b.conv3x3(256, true).batchNorm().relu();
        b.conv3x3(256, true).batchNorm().relu().maxPool(2);
        b.dropout(0.3f).flatten().linear(512).relu();
        b.linear(classes);
    }

    /** Two conv-BN-ReLU-pool stages and a small classifier; about 0.2 MFLOP-scale per sample for 28x28. */
    private static void cnnSmall(NetworkBuilder b, Shape in, ModelConfig c) {
        b.conv3x3(16, true).batchNorm().relu().maxPool(2);
        b.conv3x3(32, true).batchNorm().relu().maxPool(2);
        b.flatten().linear(128).relu().dropout(c.dropout());
        b.linear(c.outputs());
    }

    /**
     * ResNet9 (Myrtle/DAWNBench): prep conv64, layer1 conv128+pool+res(128), layer2 conv256+pool, layer3
     * conv512+pool+res(512), global max pool, fc. Each conv is a conv-BN-ReLU block without conv bias. Pools floor
     * odd sizes (28 → 14 → 7 → 3), and the global pool covers whatever remains.
     */
    private static void resnet9(NetworkBuilder b, Shape in, int classes) {
        b.block(x -> convBn(x, 64));
        b.block(x -> convBn(x, 128)).maxPool(2);
        b.residual(r -> r.block(x -> convBn(x, 128)).block(x -> convBn(x, 128)));
        b.block(x -> convBn(x, 256)).maxPool(2);
        b.block(x -> convBn(x, 512)).maxPool(2);
        b.residual(r -> r.block(x -> convBn(x, 512)).block(x -> convBn(x, 512)));
        b.globalMaxPool().flatten().linear(classes);
    }

    private static void convBn(NetworkBuilder b, int out) {
        b.conv3x3(out, false).batchNorm().relu();
    }
}
