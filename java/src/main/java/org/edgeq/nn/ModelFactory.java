package org.edgeq.nn;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Shape;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds a {@link Model} from its {@link ModelConfig}; the seed fixes initial weights and dropout streams. */
public final class ModelFactory {
    /**
     * The largest model EdgeQ builds: 2,147,483,647 parameters (8 GiB of FP32 weights), the most elements one Java
     * array (a tensor's host copy, its export) can hold. The per-sample input and every activation must fit too.
     */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE;

    private ModelFactory() {
    }

    /** Builds the model; a configuration beyond {@link #MAX_PARAMETERS} is refused from its shapes before any allocation. */
    public static Model create(ModelConfig config, Backend backend, long seed) {
        Architecture arch = check(config);
        layerShapes(config); // sizes checked with exact arithmetic before a byte is allocated
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
        List<LayerShape> rows;
        try {
            rows = LayerShape.of(Model.ROOT, describe(arch, config, NetworkBuilder.shapesOnly(Shape.of(config.inputShape()))));
        } catch (ArithmeticException e) {
            // Planning computes shapes with exact arithmetic; an overflow there is an activation past the int range.
            throw new IllegalArgumentException(describe(config) + ": a layer's output has more than " + group(MAX_PARAMETERS)
                    + " values per sample; at most " + group(MAX_PARAMETERS) + " supported");
        }
        long parameters = 0;
        try {
            for (LayerShape row : rows) {
                for (Shape s : row.parameters().values()) parameters = Math.addExact(parameters, s.numel());
                for (Shape s : row.buffers().values()) parameters = Math.addExact(parameters, s.numel());
                if (row.outputShape().numel() > MAX_PARAMETERS) {
                    throw new IllegalArgumentException(describe(config) + ": layer " + row.path() + " outputs " + group(row.outputShape().numel())
                            + " values per sample; at most " + group(MAX_PARAMETERS) + " supported");
                }
            }
        } catch (ArithmeticException e) {
            parameters = Long.MAX_VALUE;
        }
        if (parameters > MAX_PARAMETERS) {
            throw new IllegalArgumentException(describe(config) + " needs " + (parameters == Long.MAX_VALUE ? "more than " : "")
                    + group(parameters) + " parameters; at most " + group(MAX_PARAMETERS) + " supported");
        }
        return rows;
    }

    /** The {@code state_dict} a built model would have, name to shape, in module order, from shapes alone. */
    public static Map<String, Shape> stateShapes(ModelConfig config) {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (LayerShape row : layerShapes(config)) {
            row.parameters().forEach((name, shape) -> out.put(row.path() + "." + name, shape));
            row.buffers().forEach((name, shape) -> out.put(row.path() + "." + name, shape));
        }
        return out;
    }

    private static Architecture check(ModelConfig config) {
        if (config.outputs() <= 0) throw new IllegalArgumentException("model outputs must be positive, got " + config.outputs());
        if (config.inputShape() == null || config.inputShape().length == 0) throw new IllegalArgumentException("model needs an input shape");
        Architecture arch = Architecture.fromName(config.architecture());
        if (!Float.isFinite(config.dropout()) || config.dropout() < 0f || config.dropout() >= 1f) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + config.dropout());
        }
        for (int d : config.inputShape()) {
            if (d <= 0) throw new IllegalArgumentException("input shape " + Arrays.toString(config.inputShape()) + " needs positive sizes");
        }
        long values = inputValues(config.inputShape());
        if (values > MAX_PARAMETERS) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(config.inputShape()) + " has "
                    + (values == Long.MAX_VALUE ? "more than " : "") + group(values) + " values per sample; at most "
                    + group(MAX_PARAMETERS) + " supported");
        }
        if (config.hidden() != null) {
            for (Integer h : config.hidden()) {
                if (h == null || h <= 0) throw new IllegalArgumentException("dense hidden sizes must be positive, got " + config.hidden());
            }
        }
        return arch;
    }

    private static long inputValues(int[] dims) {
        long n = 1;
        for (int d : dims) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }

    private static String describe(ModelConfig c) {
        String arch = c.architecture();
        return arch.equals("dense") ? "dense with hidden " + (c.hidden() == null ? "[]" : c.hidden().toString())
                + " on input " + Arrays.toString(c.inputShape())
                : arch + " on input " + Arrays.toString(c.inputShape());
    }

    private static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
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
            throw new IllegalArgumentException(c.architecture() + " needs an image input [C, H, W], got " + Arrays.toString(c.inputShape()));
        }
        return Shape.of(c.inputShape());
    }

    /** Linear-[BN]-ReLU-[Dropout] per hidden size, then a linear output layer. */
    private static void dense(NetworkBuilder b, ModelConfig c) {
        if (b.shape().rank() != 1) b.flatten();
        for (int h : c.hidden() == null ? List.<Integer>of() : c.hidden()) {
            if (h <= 0) throw new IllegalArgumentException("dense hidden sizes must be positive, got " + c.hidden());
            b.linear(h);
            if (c.batchNorm()) b.batchNorm();
            b.relu();
            b.dropout(c.dropout());
        }
        b.linear(c.outputs());
    }

    /** The reference study's image CNN: conv32(BN)-conv64-pool-conv128(BN)-conv128(BN)-pool-conv256(BN)-conv256(BN)-pool-fc512-fc. */
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
