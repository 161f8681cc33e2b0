package org.edgeq.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What CublasLtMatmul tells cuBLASLt's heuristic about a buffer, checked without a GPU. */
class CublasLtMatmulTest {

    @Test
    void alignmentIsTheLargestPowerOfTwoDividingTheAddressCappedAt256() {
        assertEquals(256, CublasLtMatmul.alignment(0x7f0000000000L), "cudaMalloc'ed memory");
        assertEquals(256, CublasLtMatmul.alignment(0x7f0000000000L + 512));
        assertEquals(128, CublasLtMatmul.alignment(0x7f0000000000L + 128));
        assertEquals(16, CublasLtMatmul.alignment(0x7f0000000000L + 48));
        assertEquals(4, CublasLtMatmul.alignment(0x7f0000000000L + 4L * 27), "a convolution's pixel matrix after 27 floats of cols");
        assertEquals(2, CublasLtMatmul.alignment(0x7f0000000000L + 2), "an F16 view");
        assertEquals(1, CublasLtMatmul.alignment(0x7f0000000000L + 1), "an I8 view");
    }
}
