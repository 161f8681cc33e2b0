package org.edgeq.data;

import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchIteratorTest {

    /** Row i has features (i, -i, 10 i) and label i mod 4, so every delivered row reveals which row it was. */
    static Dataset numbered(int n) {
        float[] x = new float[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = -i;
            x[3 * i + 2] = 10 * i;
            y[i] = i % 4;
        }
        return new Dataset("n", Task.CLASSIFICATION, n, new int[]{3}, x, y, null, 4, List.of("a", "b", "c"), List.of("0", "1", "2", "3"));
    }

    /** The rows delivered in one epoch, decoded from the features, checking each row's features and label agree. */
    static List<Integer> epoch(BatchIterator it, int epoch) {
        it.startEpoch(epoch);
        float[] x = new float[it.batchSize() * 3];
        int[] y = new int[it.batchSize()];
        List<Integer> seen = new ArrayList<>();
        int rows;
        while ((rows = it.nextInto(x, y, null)) > 0) {
            for (int i = 0; i < rows; i++) {
                int r = (int) x[3 * i];
                assertEquals(-r, x[3 * i + 1]);
                assertEquals(10f * r, x[3 * i + 2]);
                assertEquals(r % 4, y[i]);
                seen.add(r);
            }
        }
        return seen;
    }

    @Test
    void everyRowIsDeliveredExactlyOncePerEpochIncludingTheShortLastBatch() {
        BatchIterator it = BatchIterator.over(numbered(103), 10, true, 5);
        assertEquals(11, it.batchesPerEpoch());
        for (int e = 0; e < 3; e++) {
            List<Integer> seen = epoch(it, e);
            assertEquals(103, seen.size());
            assertEquals(103, seen.stream().distinct().count());
        }
    }

    @Test
    void orderDiffersBetweenEpochsButRepeatsForTheSameSeedAndEpoch() {
        BatchIterator a = BatchIterator.over(numbered(200), 32, true, 11);
        BatchIterator b = BatchIterator.over(numbered(200), 32, true, 11);
        List<Integer> e0 = epoch(a, 0);
        List<Integer> e1 = epoch(a, 1);
        assertFalse(e0.equals(e1), "epochs are reshuffled");
        assertEquals(e1, epoch(b, 1), "same seed and epoch, same order, regardless of history");
        assertEquals(e0, epoch(a, 0), "an epoch can be replayed");
        assertFalse(e0.equals(epoch(BatchIterator.over(numbered(200), 32, true, 12), 0)), "another seed, another order");
    }

    @Test
    void withoutShufflingRowsComeInTheGivenOrder() {
        int[] rows = {7, 3, 9, 0, 5};
        BatchIterator it = new BatchIterator(numbered(10), rows, 2, false, 1);
        assertEquals(List.of(7, 3, 9, 0, 5), epoch(it, 0));
        assertEquals(List.of(7, 3, 9, 0, 5), epoch(it, 4));
    }

    @Test
    void iteratesOnlyTheGivenSplitRows() {
        int[] rows = {2, 4, 6, 8, 10, 12, 14};
        List<Integer> seen = epoch(new BatchIterator(numbered(20), rows, 3, true, 2), 0);
        int[] sorted = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
        assertArrayEquals(rows, sorted);
    }

    @Test
    void uploadsFullBatchesAndFillsTheFirstRowsOfTheLastOne() {
        Dataset d = numbered(10);
        HostUploadBackend backend = new HostUploadBackend();
        BatchIterator it = BatchIterator.over(d, 4, true, 3);
        try (TensorScope scope = new TensorScope()) {
            Tensor x = backend.allocate(scope, DType.F32, 4, 3);
            Tensor y = backend.allocate(scope, DType.I32, 4);
            it.startEpoch(0);
            List<Integer> sizes = new ArrayList<>();
            List<Integer> seen = new ArrayList<>();
            int rows;
            while ((rows = it.next(backend, x, y)) > 0) {
                sizes.add(rows);
                for (int i = 0; i < rows; i++) {
                    int r = (int) x.getFloat(3L * i);
                    assertEquals(10f * r, x.getFloat(3L * i + 2));
                    assertEquals(r % 4, y.getInt(i));
                    seen.add(r);
                }
            }
            assertEquals(List.of(4, 4, 2), sizes);
            assertEquals(6, backend.uploads, "one feature and one label upload per batch");
            assertEquals(10, seen.stream().distinct().count());
            assertEquals(epoch(BatchIterator.over(d, 4, true, 3), 0), seen, "tensor path and array path agree");
        }
    }

    @Test
    void regressionTargetsGoToAnF32ColumnTensor() {
        int n = 5;
        float[] x = {0, 1, 2, 3, 4};
        float[] t = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f};
        Dataset d = new Dataset("r", Task.REGRESSION, n, new int[]{1}, x, null, t, 0, List.of("x"), List.of());
        HostUploadBackend backend = new HostUploadBackend();
        BatchIterator it = BatchIterator.over(d, 3, false, 0);
        try (TensorScope scope = new TensorScope()) {
            Tensor xb = backend.allocate(scope, DType.F32, 3, 1);
            Tensor yb = backend.allocate(scope, DType.F32, 3, 1);
            it.startEpoch(0);
            assertEquals(3, it.next(backend, xb, yb));
            assertArrayEquals(new float[]{0.5f, 1.5f, 2.5f}, yb.toFloatArray());
            assertEquals(2, it.next(backend, xb, yb));
            assertArrayEquals(new float[]{3.5f, 4.5f}, Arrays.copyOf(yb.toFloatArray(), 2));
            assertArrayEquals(new float[]{3, 4}, Arrays.copyOf(xb.toFloatArray(), 2));
            assertEquals(0, it.next(backend, xb, yb));
        }
    }

    @Test
    void refusesTensorsOfTheWrongShapeOrType() {
        HostUploadBackend backend = new HostUploadBackend();
        BatchIterator it = BatchIterator.over(numbered(10), 4, true, 3);
        it.startEpoch(0);
        try (TensorScope scope = new TensorScope()) {
            Tensor x = backend.allocate(scope, DType.F32, 4, 3);
            Tensor floatLabels = backend.allocate(scope, DType.F32, 4);
            Tensor wideX = backend.allocate(scope, DType.F32, 4, 5);
            Tensor y = backend.allocate(scope, DType.I32, 4);
            assertThrows(IllegalArgumentException.class, () -> it.next(backend, x, floatLabels));
            assertThrows(IllegalArgumentException.class, () -> it.next(backend, wideX, y));
            assertTrue(it.next(backend, x, y) == 4);
        }
    }

    @Test
    void nextBeforeStartEpochIsAnError() {
        BatchIterator it = BatchIterator.over(numbered(4), 2, true, 0);
        assertThrows(IllegalStateException.class, () -> it.nextInto(new float[6], new int[2], null));
    }
}
