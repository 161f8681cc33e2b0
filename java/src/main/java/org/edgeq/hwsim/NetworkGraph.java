package org.edgeq.hwsim;

import java.util.ArrayList;
import java.util.List;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.nn.BatchNorm;
import org.edgeq.nn.Conv2d;
import org.edgeq.nn.Dropout;
import org.edgeq.nn.Flatten;
import org.edgeq.nn.Layer;
import org.edgeq.nn.Linear;
import org.edgeq.nn.MaxPool2d;
import org.edgeq.nn.Model;
import org.edgeq.nn.ReLU;
import org.edgeq.nn.Sequential;

/**
 * A network as integer inference sees it: the leaves of its module tree in forward order, grouped into one
 * {@link Stage} per weight layer (Linear or Conv2d) with what follows it up to the next weight layer: an optional
 * batch norm right after it, ReLU (fused into the output clamp), max pools (in integers) and shape-only layers
 * (Flatten, Dropout at inference). Anything else (residual adds, a ReLU or pool before the first weight layer) is
 * refused naming the layer, because integer inference as simulated here has no integer form for it.
 */
public final class NetworkGraph {
    private final List<Stage> stages;
    private final int[] inputShape;

    /** What a weight layer's stage computes. */
    public sealed interface Kind permits Dense, Convolution {
    }

    /** y = x W^T + b, W [out, in]. */
    public record Dense(int in, int out) implements Kind {
    }

    /** A 2-D convolution over one sample (batch 1 in the geometry). */
    public record Convolution(ConvGeometry geometry) implements Kind {
    }

    /**
     * One weight layer and the layers after it until the next weight layer.
     *
     * @param path      the weight layer's module path (e.g. net.0), as {@link org.edgeq.nn.WeightLayerRef#path()}
     * @param layer     the Linear or Conv2d
     * @param batchNorm the batch norm right after it, or null
     * @param bnPath    its module path, or null
     * @param relu      whether a ReLU follows (before the next weight layer)
     * @param pools     the max pools that follow, in order
     * @param outputs   elements per sample after the stage (after pooling)
     */
    public record Stage(String path, Layer layer, Kind kind, BatchNorm batchNorm, String bnPath, boolean relu,
                        List<PoolGeometry> pools, long outputs) {

        /** Output channels of the weight layer. */
        public int outChannels() {
            return kind instanceof Dense d ? d.out() : ((Convolution) kind).geometry().outChannels();
        }

        /** Reduction length of one output: in (Linear) or in_channels * k * k (Conv2d). */
        public int depth() {
            return kind instanceof Dense d ? d.in() : ((Convolution) kind).geometry().patchSize();
        }

        /** Outputs per sample of the weight layer itself (before pooling). */
        public long layerOutputs() {
            if (kind instanceof Dense d) return d.out();
            ConvGeometry g = ((Convolution) kind).geometry();
            return (long) g.outChannels() * g.outHeight() * g.outWidth();
        }

        /** Elements per sample of the weight layer's input. */
        public long layerInputs() {
            if (kind instanceof Dense d) return d.in();
            ConvGeometry g = ((Convolution) kind).geometry();
            return (long) g.inChannels() * g.height() * g.width();
        }

        /** Multiply-accumulates per sample (dense). */
        public long macs() {
            return layerOutputs() * depth();
        }

        /** Weight elements. */
        public long weights() {
            return (long) outChannels() * depth();
        }
    }

    private NetworkGraph(List<Stage> stages, int[] inputShape) {
        this.stages = List.copyOf(stages);
        this.inputShape = inputShape.clone();
    }

    public List<Stage> stages() {
        return stages;
    }

    /** Per-sample input shape. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The graph of {@code model}'s network (module paths start with {@link Model#ROOT}). */
    public static NetworkGraph of(Model model) {
        return of(Model.ROOT, model.network());
    }

    /** The graph of {@code root}, whose module path is {@code rootPath}. */
    public static NetworkGraph of(String rootPath, Layer root) {
        return build(rootPath, root, false);
    }

    /**
     * For cost estimates only: the weight layers of any network with what follows each, residual blocks walked
     * into (their adds are left out of the costs: elementwise, negligible next to the MACs) and layers with no
     * integer form skipped instead of refused. Not for {@link IntegerModel}.
     */
    public static NetworkGraph forCosts(Model model) {
        return build(Model.ROOT, model.network(), true);
    }

    private static NetworkGraph build(String rootPath, Layer root, boolean lenient) {
        List<String> paths = new ArrayList<>();
        List<Layer> leaves = new ArrayList<>();
        flatten(rootPath, root, paths, leaves, lenient);
        List<Stage> stages = new ArrayList<>();
        int i = 0;
        while (i < leaves.size() && !(leaves.get(i) instanceof Linear || leaves.get(i) instanceof Conv2d)) {
            Layer l = leaves.get(i);
            if (!lenient && !(l instanceof Flatten || l instanceof Dropout)) {
                throw new IllegalArgumentException("layer " + paths.get(i) + " (" + l.type() + ") comes before the first weight layer; "
                        + "integer inference starts by quantizing the first Linear or Conv2d's input");
            }
            i++;
        }
        if (i == leaves.size()) throw new IllegalArgumentException("the network has no Linear or Conv2d layer");
        while (i < leaves.size()) {
            Layer w = leaves.get(i);
            String path = paths.get(i);
            Kind kind = w instanceof Linear lin ? new Dense(lin.inputShape().dim(0), lin.outputShape().dim(0))
                    : new Convolution(((Conv2d) w).geometry().withBatch(1));
            i++;
            BatchNorm bn = null;
            String bnPath = null;
            if (i < leaves.size() && leaves.get(i) instanceof BatchNorm b) {
                bn = b;
                bnPath = paths.get(i);
                i++;
            }
            boolean relu = false;
            List<PoolGeometry> pools = new ArrayList<>();
            long outputs = w.outputShape().numel();
            while (i < leaves.size() && !(leaves.get(i) instanceof Linear || leaves.get(i) instanceof Conv2d)) {
                Layer l = leaves.get(i);
                if (l instanceof ReLU) {
                    relu = true;
                } else if (l instanceof MaxPool2d p) {
                    pools.add(p.geometry().withBatch(1));
                    outputs = p.outputShape().numel();
                } else if (!lenient && !(l instanceof Flatten || l instanceof Dropout)) {
                    String why = l instanceof BatchNorm ? "a batch norm that does not directly follow a weight layer cannot be folded"
                            : "it has no integer form here";
                    throw new IllegalArgumentException("layer " + paths.get(i) + " (" + l.type() + ") cannot run in integer inference: " + why);
                }
                i++;
            }
            stages.add(new Stage(path, w, kind, bn, bnPath, relu, List.copyOf(pools), outputs));
        }
        return new NetworkGraph(stages, root.inputShape().dims());
    }

    private static void flatten(String prefix, Layer layer, List<String> paths, List<Layer> leaves, boolean lenient) {
        if (layer instanceof Sequential || (lenient && !layer.children().isEmpty())) {
            List<Layer> children = layer.children();
            for (int i = 0; i < children.size(); i++) flatten(prefix + "." + i, children.get(i), paths, leaves, lenient);
            return;
        }
        if (!layer.children().isEmpty()) {
            throw new IllegalArgumentException("layer " + prefix + " (" + layer.type() + ") is not a plain sequence of layers; "
                    + "integer inference here covers sequential networks (no residual adds)");
        }
        paths.add(prefix);
        leaves.add(layer);
    }
}
