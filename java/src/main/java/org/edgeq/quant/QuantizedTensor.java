package org.edgeq.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a quantizer produced for one tensor: integer codes plus whatever turns them back into values (a codebook,
 * scales and zero points, a mid-rise step, or a sum of several low-precision points), so that an exporter can pack
 * the codes at their true width and anyone can {@link #dequantize()} them.
 *
 * <p>Codes are stored row-major in the tensor's own layout. Where a record has an {@code axis}, {@code -1} means one
 * parameter set for the whole tensor and {@code 0} one set per output channel (per index of dimension 0, each
 * channel owning {@code numel / shape[0]} consecutive elements).
 */
public sealed interface QuantizedTensor {

    /** The tensor's dimensions. */
    int[] shape();

    /** The nominal precision p in bits (the seed's {@code precision} column). */
    int bits();

    /** Bits an exporter needs per stored code: at least {@link #bits()}, more only for mid-rise's extra level. */
    default int codeBits() {
        return bits();
    }

    /** Number of integer codes stored (elements times points for multi-point). */
    long codeCount();

    /** The values these codes stand for, row-major. */
    float[] dequantize();

    /** Elements of a tensor with dimensions {@code shape}. */
    static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return Math.toIntExact(n);
    }

    /** Number of parameter groups for {@code axis} (-1: one, 0: shape[0]). */
    static int groups(int[] shape, int axis) {
        if (axis == -1) return 1;
        if (axis == 0) return shape.length == 0 ? 1 : shape[0];
        throw new IllegalArgumentException("axis must be -1 (per tensor) or 0 (per output channel), got " + axis);
    }

    /**
     * Codes into a table of landmarks (regular and stochastic rounding to a landmark set): value =
     * {@code codebook[group * entries + code]} with {@code entries = codebook.length / groups}.
     *
     * @param axis     -1: one codebook; 0: one codebook of {@code entries} values per output channel
     * @param codebook the landmarks in their set's stored order within each group; at most 2^bits per group
     * @param codes    indices into the group's landmarks, in [0, entries)
     */
    record Codebook(int[] shape, int bits, int axis, float[] codebook, int[] codes) implements QuantizedTensor {
        public Codebook {
            int g = groups(shape, axis);
            if (codes.length != numel(shape)) throw new IllegalArgumentException("codebook tensor " + Arrays.toString(shape) + " needs " + numel(shape) + " codes, got " + codes.length);
            if (codebook.length % g != 0) throw new IllegalArgumentException("codebook of " + codebook.length + " values does not split into " + g + " channels");
        }

        /** Per-tensor codebook. */
        public Codebook(int[] shape, int bits, float[] codebook, int[] codes) {
            this(shape, bits, -1, codebook, codes);
        }

        public int entries() {
            return codebook.length / groups(shape, axis);
        }

        @Override
        public long codeCount() {
            return codes.length;
        }

        @Override
        public float[] dequantize() {
            float[] out = new float[codes.length];
            int g = groups(shape, axis);
            int inner = codes.length / Math.max(1, g);
            int entries = entries();
            for (int i = 0; i < out.length; i++) {
                int group = g == 1 ? 0 : i / inner;
                out[i] = codebook[group * entries + codes[i]];
            }
            return out;
        }
    }

    /**
     * Uniform affine integers: value = {@code scales[group] * (code - zeroPoints[group])}. Signed codes lie in
     * [-2^(bits-1), 2^(bits-1) - 1] (symmetric quantization uses the narrow range without the lowest value and zero
     * points of 0), unsigned codes in [0, 2^bits - 1].
     */
    record Affine(int[] shape, int bits, boolean signed, int axis, float[] scales, int[] zeroPoints, int[] codes) implements QuantizedTensor {
        public Affine {
            int g = groups(shape, axis);
            if (scales.length != g || zeroPoints.length != g) throw new IllegalArgumentException("affine tensor " + Arrays.toString(shape) + " axis " + axis + " needs " + g + " scales and zero points, got " + scales.length + " and " + zeroPoints.length);
            if (codes.length != numel(shape)) throw new IllegalArgumentException("affine tensor " + Arrays.toString(shape) + " needs " + numel(shape) + " codes, got " + codes.length);
        }

        /** Smallest representable code. */
        public int codeMin() {
            return signed ? -(1 << (bits - 1)) : 0;
        }

        /** Largest representable code. */
        public int codeMax() {
            return signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
        }

        @Override
        public long codeCount() {
            return codes.length;
        }

        @Override
        public float[] dequantize() {
            float[] out = new float[codes.length];
            int g = scales.length;
            int inner = codes.length / Math.max(1, g);
            for (int i = 0; i < out.length; i++) {
                int group = g == 1 ? 0 : i / inner;
                out[i] = scales[group] * (codes[i] - zeroPoints[group]);
            }
            return out;
        }
    }

    /**
     * The seed's mid-rise quantizer: value = {@code deltas[group] * ((float) (code + offsets[group]) + 0.5f)} in
     * float32, where {@code code + offset = floor(w / delta)} and {@code offset = floor(min / delta)} makes codes
     * start at 0. Groups follow {@code axis}, or {@link #PER_ELEMENT}: one delta per element (the seed's rule for a
     * tensor whose first dimension is 1), each with code 0.
     *
     * <p>The seed's formula gives 2^p + 1 levels, not 2^p: (max − min)/Δ = 2^p makes floor(max/Δ) − floor(min/Δ)
     * = 2^p, so the values within frac(min/Δ)·Δ of the maximum (at least the maximum itself) get a level of their
     * own, above the maximum (only float rounding of w/Δ occasionally merges it away). This record keeps that
     * faithful result, and {@link #codeBits()} then asks for one bit more (more over the IQR range, which does not
     * clip). A group whose value is kept as is (Δ = 0, NaN in the seed) is stored as delta = 2·value, offset 0,
     * code 0, so it dequantizes exactly to its value.
     */
    record MidRise(int[] shape, int bits, int axis, float[] deltas, int[] offsets, int[] codes) implements QuantizedTensor {
        /** {@code axis} value for one delta per element. */
        public static final int PER_ELEMENT = -2;

        public MidRise {
            int g = axis == PER_ELEMENT ? numel(shape) : groups(shape, axis);
            if (deltas.length != g || offsets.length != g) throw new IllegalArgumentException("mid-rise tensor " + Arrays.toString(shape) + " axis " + axis + " needs " + g + " deltas and offsets");
            if (codes.length != numel(shape)) throw new IllegalArgumentException("mid-rise tensor " + Arrays.toString(shape) + " needs " + numel(shape) + " codes, got " + codes.length);
        }

        /** Distinct code values used: max code + 1 (2^p, or 2^p + 1 in the seed's edge case). */
        public int levels() {
            int max = 0;
            for (int c : codes) max = Math.max(max, c);
            return max + 1;
        }

        @Override
        public int codeBits() {
            int levels = levels();
            return Math.max(bits, 32 - Integer.numberOfLeadingZeros(Math.max(1, levels - 1)));
        }

        @Override
        public long codeCount() {
            return codes.length;
        }

        @Override
        public float[] dequantize() {
            float[] out = new float[codes.length];
            int g = deltas.length;
            int inner = codes.length / Math.max(1, g);
            for (int i = 0; i < out.length; i++) {
                int group = g == 1 ? 0 : i / inner;
                out[i] = deltas[group] * ((float) (codes[i] + offsets[group]) + 0.5f);
            }
            return out;
        }
    }

    /**
     * Multi-point quantization (Liu et al., AAAI 2021): value = Σ_i {@code terms[i].scale * terms[i].grid[code_i]},
     * each product in float32 and the sum in the order the seed's {@code torch.sum(torch.stack(terms), 0)} adds them
     * (see TorchCpuMath.sumStack), so that this decodes to exactly the tensor the quantizer computed. Every term's
     * grid has at most 2^bits points, so each term's codes pack at {@code bits}.
     */
    record MultiPoint(int[] shape, int bits, List<Term> terms) implements QuantizedTensor {
        public MultiPoint {
            terms = List.copyOf(terms);
            for (Term t : terms) {
                if (t.codes().length != numel(shape)) throw new IllegalArgumentException("multi-point term needs " + numel(shape) + " codes, got " + t.codes().length);
            }
        }

        /** Points (terms) in the sum. */
        public int points() {
            return terms.size();
        }

        @Override
        public long codeCount() {
            return (long) numel(shape) * terms.size();
        }

        @Override
        public float[] dequantize() {
            List<float[]> products = new ArrayList<>(terms.size());
            for (Term t : terms) {
                float[] p = new float[numel(shape)];
                for (int i = 0; i < p.length; i++) p[i] = t.scale() * t.grid()[t.codes()[i]];
                products.add(p);
            }
            if (products.isEmpty()) return new float[numel(shape)];
            return TorchCpuMath.sumStack(products);
        }

        /** One point: a scale a_i and codes into a low-precision grid. */
        public record Term(float scale, float[] grid, int[] codes) {
        }
    }
}
