package org.edgeq.quant.fake;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.nn.Layer;
import org.edgeq.nn.Model;
import org.edgeq.nn.QuantizableLayer;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.quant.core.AffineParams;
import org.edgeq.tensor.Tensor;
import org.edgeq.train.OptimizerSpec;
import org.edgeq.train.TrainingHook;

/**
 * Quantization-aware training of a model: fake quantizers attached to every weight layer (see
 * {@link #prepare}), observers frozen after the configured epoch or by {@link #freeze()}, and LSQ step sizes
 * trained here, with their own Adam state, right after the trainer's optimizer step (the trainer's optimizer only
 * sees the model's parameters, and step sizes want their own learning rate anyway). Validation sees the
 * fake-quantized model. {@link #close()} detaches the quantizers and frees their memory.
 */
public final class QatHook implements TrainingHook, AutoCloseable {
    private final Model model;
    private final QatConfig config;
    private final List<FakeQuantLayer> layers;
    private final List<QuantizableLayer> targets;
    private final OptimizerSpec.Adam stepSizeAdam;
    private final float stepSizeLearningRate;
    private boolean frozen;

    private QatHook(Model model, QatConfig config, List<FakeQuantLayer> layers, List<QuantizableLayer> targets) {
        this.model = model;
        this.config = config;
        this.layers = layers;
        this.targets = targets;
        this.stepSizeAdam = config.stepSizeAdam();
        this.stepSizeLearningRate = config.stepSizeLearningRate();
    }

    /** Attaches fake quantizers to every Linear and Conv2d of {@code model} per {@code config}. */
    public static QatHook prepare(Model model, QatConfig config) {
        List<FakeQuantLayer> layers = new ArrayList<>();
        List<QuantizableLayer> targets = new ArrayList<>();
        for (WeightLayerRef wl : model.weightLayers()) {
            if (!(wl.layer() instanceof QuantizableLayer q)) {
                throw new IllegalArgumentException("layer " + wl.path() + " (" + wl.layer().type() + ") cannot be fake-quantized");
            }
            if (q.quantizedForward() != null) throw new IllegalStateException("layer " + wl.path() + " is already quantized");
            FakeQuantize w = config.weights() == null ? null : new FakeQuantize(model.backend(), config.weights(), wl.outChannels());
            FakeQuantize a = config.activations() == null ? null : new FakeQuantize(model.backend(), config.activations(), 1);
            FakeQuantLayer fq = new FakeQuantLayer(w, a);
            q.setQuantizedForward(fq);
            layers.add(fq);
            targets.add(q);
        }
        return new QatHook(model, config, List.copyOf(layers), List.copyOf(targets));
    }

    public Model model() {
        return model;
    }

    /** The quantizers of each weight layer, in {@link Model#weightLayers()} order. */
    public List<FakeQuantLayer> layers() {
        return layers;
    }

    /** Stops every observer (scales and zero points stay fixed); what export needs. */
    public void freeze() {
        for (FakeQuantLayer l : layers) {
            if (l.weightQuantizer() != null) l.weightQuantizer().freezeObserver();
            if (l.inputQuantizer() != null) l.inputQuantizer().freezeObserver();
        }
        frozen = true;
    }

    /**
     * Prepares the trained model for export: freezes the observers and folds each batch norm into the weight layer
     * before it ({@link BatchNormFolding}). Learned per-channel weight scales (LSQ) are multiplied by |k| of their
     * channel, which keeps the quantized weights up to rounding ties (the grid is symmetric); observed weight
     * scales are re-observed once on the folded weights, which gives the same result for min-max observers.
     * Returns how many batch norms were folded.
     */
    public int freezeAndFoldBatchNorm() {
        freeze();
        Map<Layer, float[]> factors = new IdentityHashMap<>();
        int folded = BatchNormFolding.fold(model, (layer, k) -> factors.put(layer.layer(), k));
        List<WeightLayerRef> weightLayers = model.weightLayers();
        for (int i = 0; i < layers.size(); i++) {
            FakeQuantize wq = layers.get(i).weightQuantizer();
            float[] k = factors.get(weightLayers.get(i).layer());
            if (wq == null || k == null) continue;
            if (wq.spec().learnedStep() && wq.spec().perChannel()) {
                float[] scales = wq.scales();
                for (int c = 0; c < scales.length; c++) scales[c] = Math.max(scales[c] * Math.abs(k[c]), AffineParams.MIN_SCALE);
                wq.setParameters(scales, wq.zeroPoints());
            } else {
                wq.resetObserver();
            }
        }
        return folded;
    }

    public boolean frozen() {
        return frozen;
    }

    @Override
    public void beforeForward(Tensor x, int epoch, long step) {
        if (!frozen && config.freezeObserversAfter() > 0 && epoch >= config.freezeObserversAfter()) freeze();
    }

    @Override
    public void afterOptimizerStep(long step) {
        for (FakeQuantLayer l : layers) {
            if (l.weightQuantizer() != null) l.weightQuantizer().stepLearnedScale(stepSizeAdam, stepSizeLearningRate);
            if (l.inputQuantizer() != null) l.inputQuantizer().stepLearnedScale(stepSizeAdam, stepSizeLearningRate);
        }
    }

    /** Detaches the quantizers: the model computes in full precision again. */
    @Override
    public void close() {
        for (QuantizableLayer t : targets) t.setQuantizedForward(null);
        for (FakeQuantLayer l : layers) l.close();
    }
}
