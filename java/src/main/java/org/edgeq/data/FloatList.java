package org.edgeq.data;

import java.util.Arrays;

/** A growable float array for loaders that do not know the sample count in advance. */
final class FloatList {
    private float[] values;
    private int size;

    FloatList(int capacity) {
        values = new float[Math.max(16, capacity)];
    }

    void add(float v) {
        if (size == values.length) values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, 2L * values.length));
        values[size++] = v;
    }

    int size() {
        return size;
    }

    float[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
