package org.edgeq.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhiloxTest {

    private static int[] block(int[] counter, int[] key) {
        int[] out = new int[4];
        Philox.block(counter, key, out);
        return out;
    }

    /** The philox4x32 10-round known answers from Random123's kat_vectors file (counter, key -> output). */
    @Test
    void matchesRandom123KnownAnswerVectors() {
        assertArrayEquals(new int[]{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                block(new int[]{0, 0, 0, 0}, new int[]{0, 0}));
        assertArrayEquals(new int[]{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                block(new int[]{-1, -1, -1, -1}, new int[]{-1, -1}));
        assertArrayEquals(new int[]{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                block(new int[]{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, new int[]{0xa4093822, 0x299f31d0}));
    }

    @Test
    void elementIndexSelectsBlockAndLane() {
        int[] b0 = block(new int[]{0, 0, 0, 0}, new int[]{7, 0});
        int[] b5 = block(new int[]{5, 0, 0, 0}, new int[]{7, 0});
        assertEquals(b0[2], Philox.word(7L, 2));
        assertEquals(b5[3], Philox.word(7L, 23));
        int[] high = block(new int[]{1, 1, 0, 0}, new int[]{3, 9});
        assertEquals(high[1], Philox.word((9L << 32) | 3L, ((1L << 32) + 1) * 4 + 1));
    }

    @Test
    void bulkUniformsEqualSingleDrawsAndLieInTheUnitInterval() {
        float[] u = new float[21];
        Philox.uniforms(11L, 6L, u, u.length);
        for (int i = 0; i < u.length; i++) {
            assertEquals(Philox.uniform(11L, 6L + i), u[i]);
            assertTrue(u[i] >= 0f && u[i] < 1f);
        }
        assertEquals(0f, Philox.toUniform(0));
        assertEquals(1f - 0x1.0p-24f, Philox.toUniform(-1));
    }
}
