package org.edgeq.data;

import java.util.Arrays;

/** A growable int array for loaders that do not know the sample count in advance. */
final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
        values = new int[Math.max(16, capacity)];
    }

    void add(int v) {
        if (size == values.length) values = Arrays.copyOf(values, Math.multiplyExact(values.length, 2));
        values[size++] = v;
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
