package org.edgeq.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GemmEnginePolicyTest {
    private static final GemmShape SQUARE = new GemmShape(256, 256, 256, false, false);
    private static final GemmShape SQUARE_TRANSPOSED = new GemmShape(256, 256, 256, true, false);

    @Test
    void fixedEnginesAlwaysRunThemselves() {
        assertEquals(GemmEnginePolicy.Decision.KERNEL, new GemmEnginePolicy(GemmEngine.KERNEL, true).decide(SQUARE));
        assertEquals(GemmEnginePolicy.Decision.CUBLASLT, new GemmEnginePolicy(GemmEngine.CUBLASLT, true).decide(SQUARE));
    }

    @Test
    void cublasLtAskedForWithoutTheLibraryIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GemmEnginePolicy(GemmEngine.CUBLASLT, false));
        assertEquals("gemm engine CUBLASLT asked for, but cuBLASLt is not loaded", e.getMessage());
    }

    @Test
    void autoWithoutCublasLtRunsTheKernelWithoutMeasuring() {
        GemmEnginePolicy auto = new GemmEnginePolicy(GemmEngine.AUTO, false);
        assertEquals(GemmEnginePolicy.Decision.KERNEL, auto.decide(SQUARE));
        assertNull(auto.chosenFor(SQUARE));
    }

    @Test
    void autoMeasuresEachShapeOnceAndKeepsTheFaster() {
        GemmEnginePolicy auto = new GemmEnginePolicy(GemmEngine.AUTO, true);
        assertEquals(GemmEnginePolicy.Decision.MEASURE, auto.decide(SQUARE));
        assertEquals(GemmEngine.CUBLASLT, auto.recordTimings(SQUARE, 2.0, 1.5));
        assertEquals(GemmEnginePolicy.Decision.CUBLASLT, auto.decide(SQUARE));
        // The same sizes with another transpose are another shape.
        assertEquals(GemmEnginePolicy.Decision.MEASURE, auto.decide(SQUARE_TRANSPOSED));
        assertEquals(GemmEngine.KERNEL, auto.recordTimings(SQUARE_TRANSPOSED, 0.9, 1.5));
        assertEquals(GemmEnginePolicy.Decision.KERNEL, auto.decide(SQUARE_TRANSPOSED));
        assertEquals(GemmEnginePolicy.Decision.CUBLASLT, auto.decide(SQUARE));
    }

    @Test
    void tiesGoToTheKernelAndAFailedEngineLoses() {
        GemmEnginePolicy auto = new GemmEnginePolicy(GemmEngine.AUTO, true);
        assertEquals(GemmEngine.KERNEL, auto.recordTimings(SQUARE, 1.0, 1.0));
        assertEquals(GemmEngine.KERNEL, auto.recordTimings(new GemmShape(1, 2, 3, false, true), 5.0, Double.POSITIVE_INFINITY));
        assertEquals(GemmEngine.CUBLASLT, auto.recordTimings(new GemmShape(3, 2, 1, false, true), Double.NaN, 7.0));
    }

    @Test
    void shapesTooTallForOurKernelGoToCublasLtUnderAutoAndAreRefusedWhereOnlyTheKernelMayRun() {
        GemmShape tall = new GemmShape(1001, 8, 8, false, false);
        assertEquals(GemmEnginePolicy.Decision.CUBLASLT, new GemmEnginePolicy(GemmEngine.AUTO, true, 1000).decide(tall));
        assertEquals(GemmEnginePolicy.Decision.CUBLASLT, new GemmEnginePolicy(GemmEngine.CUBLASLT, true, 1000).decide(tall));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GemmEnginePolicy(GemmEngine.KERNEL, true, 1000).decide(tall));
        assertEquals("gemm: m = 1001 rows exceeds the 1000 our kernel takes; use the CUBLASLT or AUTO engine", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GemmEnginePolicy(GemmEngine.AUTO, false, 1000).decide(tall));
        assertEquals("gemm: m = 1001 rows exceeds the 1000 our kernel takes (and cuBLASLt is not loaded)", e.getMessage());
        assertEquals(GemmEnginePolicy.Decision.KERNEL, new GemmEnginePolicy(GemmEngine.KERNEL, true, 1000).decide(new GemmShape(1000, 8, 8, false, false)));
        assertEquals(4194240, GemmEnginePolicy.KERNEL_MAX_ROWS);
    }
}
