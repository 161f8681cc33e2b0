package org.edgeq.backend.cuda;

import org.edgeq.backend.NaiveGemm;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The row-major to column-major restatement cuBLASLt is called with, checked by a naive column-major GEMM that reads
 * the operands exactly as cuBLASLt would (rows, cols, leading dimension, op) against a naive row-major GEMM.
 */
class ColumnMajorGemmTest {

    /** Element (i, j) of a column-major matrix with leading dimension ld, after op. */
    private static double read(double[] data, long rows, long cols, long ld, boolean transpose, int i, int j) {
        int r = transpose ? j : i, c = transpose ? i : j;
        if (r >= rows || c >= cols) throw new AssertionError("(" + r + ", " + c + ") outside " + rows + "x" + cols);
        return data[(int) (c * ld + r)];
    }

    /** D = op(first) op(second) as cuBLASLt computes it, column-major with the mapping's leading dimensions. */
    private static double[] columnMajor(ColumnMajorGemm g, double[] first, double[] second) {
        double[] d = new double[(int) (g.ldResult() * g.cols())];
        for (int i = 0; i < g.rows(); i++) {
            for (int j = 0; j < g.cols(); j++) {
                double acc = 0;
                for (int p = 0; p < g.k(); p++) {
                    acc += read(first, g.firstRows(), g.firstCols(), g.ldFirst(), g.transposeFirst(), i, p)
                            * read(second, g.secondRows(), g.secondCols(), g.ldSecond(), g.transposeSecond(), p, j);
                }
                d[(int) (j * g.ldResult() + i)] = acc;
            }
        }
        return d;
    }

    @Test
    void everyTransposeCombinationGivesTheRowMajorProductWithOurBFirst() {
        Random random = new Random(7);
        int m = 5, n = 3, k = 7;
        for (boolean transA : new boolean[]{false, true}) {
            for (boolean transB : new boolean[]{false, true}) {
                double[] a = new double[m * k], b = new double[k * n];
                for (int i = 0; i < a.length; i++) a[i] = random.nextInt(19) - 9;
                for (int i = 0; i < b.length; i++) b[i] = random.nextInt(19) - 9;
                ColumnMajorGemm g = ColumnMajorGemm.of(transA, transB, m, n, k);
                assertEquals(transB, g.transposeFirst());
                assertEquals(transA, g.transposeSecond());
                assertEquals(n, g.rows());
                assertEquals(m, g.cols());
                assertEquals(n, g.ldResult());
                // Row-major C [m, n] read column-major is C^T [n, m] with leading dimension n: the same array.
                double[] expected = NaiveGemm.reference(transA, transB, m, n, k, 1, a, b, 0, (double[]) null);
                double[] actual = columnMajor(g, b, a);
                assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual), "transA=" + transA + " transB=" + transB);
            }
        }
    }

    @Test
    void leadingDimensionsAreTheRowMajorColumnCounts() {
        ColumnMajorGemm nn = ColumnMajorGemm.of(false, false, 4, 6, 8);   // A [4, 8], B [8, 6]
        assertEquals(6, nn.ldFirst());
        assertEquals(8, nn.ldSecond());
        ColumnMajorGemm tt = ColumnMajorGemm.of(true, true, 4, 6, 8);     // A [8, 4], B [6, 8]
        assertEquals(8, tt.ldFirst());
        assertEquals(4, tt.ldSecond());
    }

    @Test
    void theInt8MappingIsTheTnFormWithLeadingDimensionK() {
        ColumnMajorGemm g = ColumnMajorGemm.int8(3, 8, 12);
        assertTrue(g.transposeFirst());
        assertFalse(g.transposeSecond());
        assertEquals(12, g.ldFirst());
        assertEquals(12, g.ldSecond());
        assertEquals(8, g.ldResult());
        assertEquals(12, g.firstRows());
        assertEquals(8, g.firstCols());
        int m = 3, n = 8, k = 12;
        Random random = new Random(3);
        double[] a = new double[m * k], b = new double[n * k];
        for (int i = 0; i < a.length; i++) a[i] = random.nextInt(255) - 127;
        for (int i = 0; i < b.length; i++) b[i] = random.nextInt(255) - 127;
        assertEquals(java.util.Arrays.toString(NaiveGemm.reference(false, true, m, n, k, 1, a, b, 0, (double[]) null)), java.util.Arrays.toString(columnMajor(g, b, a)));
    }
}
