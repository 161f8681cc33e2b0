package org.edgeq.export;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BitPackerTest {

    @Test
    void threeBitCodesPackLeastSignificantBitFirstAsWorkedByHand() {
        // 5 | 3<<3 | 7<<6 | 0<<9 | 1<<12 | 2<<15 | 4<<18 | 6<<21 = 0xD111DD, stored little-endian.
        int[] codes = {5, 3, 7, 0, 1, 2, 4, 6};
        byte[] packed = BitPacker.pack(codes, 3);
        assertArrayEquals(new byte[]{(byte) 0xDD, (byte) 0x11, (byte) 0xD1}, packed);
        assertArrayEquals(codes, BitPacker.unpack(packed, 0, codes.length, 3));
    }

    @Test
    void fourBitCodesFillNibblesLowFirstAndPadTheLastByteWithZeros() {
        int[] codes = {1, 2, 3, 4, 15};
        byte[] packed = BitPacker.pack(codes, 4);
        assertArrayEquals(new byte[]{0x21, 0x43, 0x0F}, packed);
        assertArrayEquals(codes, BitPacker.unpack(packed, 0, codes.length, 4));
    }

    @Test
    void everyWidthFromOneToSixteenRoundTripsAndUsesExactlyCeilOfCountTimesWidthBytes() {
        Random random = new Random(7);
        for (int width = 1; width <= 16; width++) {
            for (int count : new int[]{0, 1, 7, 8, 9, 1001}) {
                int[] codes = new int[count];
                for (int i = 0; i < count; i++) codes[i] = random.nextInt(1 << width);
                if (count > 0) codes[count - 1] = (1 << width) - 1; // the largest code survives
                byte[] packed = BitPacker.pack(codes, width);
                assertEquals((count * width + 7) / 8, packed.length, "width " + width + ", " + count + " codes");
                assertArrayEquals(codes, BitPacker.unpack(packed, 0, count, width), "width " + width);
            }
        }
    }

    @Test
    void packsAtAnOffsetInsideABiggerBuffer() {
        byte[] buffer = new byte[5];
        buffer[0] = (byte) 0xAA;
        int end = BitPacker.pack(new int[]{9, 9, 3}, 0, 3, 6, buffer, 1);
        assertEquals(4, end);
        assertEquals((byte) 0xAA, buffer[0]);
        assertArrayEquals(new int[]{9, 9, 3}, BitPacker.unpack(buffer, 1, 3, 6));
    }

    @Test
    void refusesCodesThatDoNotFitAndWidthsOutsideOneToSixteen() {
        assertThrows(IllegalArgumentException.class, () -> BitPacker.pack(new int[]{8}, 3));
        assertThrows(IllegalArgumentException.class, () -> BitPacker.pack(new int[]{-1}, 3));
        assertThrows(IllegalArgumentException.class, () -> BitPacker.pack(new int[]{0}, 0));
        assertThrows(IllegalArgumentException.class, () -> BitPacker.pack(new int[]{0}, 17));
        assertThrows(IllegalArgumentException.class, () -> BitPacker.unpack(new byte[1], 0, 3, 4));
    }

    @Test
    void widthForIsTheSmallestWidthIndexingThatManyEntries() {
        assertEquals(1, BitPacker.widthFor(0));
        assertEquals(1, BitPacker.widthFor(2));
        assertEquals(2, BitPacker.widthFor(3));
        assertEquals(4, BitPacker.widthFor(16));
        assertEquals(5, BitPacker.widthFor(17));
        assertEquals(16, BitPacker.widthFor(65536));
    }
}
