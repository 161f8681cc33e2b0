package org.edgeq.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.edgeq.backend.Backend;
import org.edgeq.backend.HostDeviceSimulationBackend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;

/** Device tensors reach the file formats as host copies and come back through the backend; host tensors pass as they are. */
class HostStagingTest {

    @Test
    void deviceTensorsAreCopiedToTheHostAndBackWhileHostTensorsPassThrough() {
        try (Backend b = new HostDeviceSimulationBackend(1); TensorScope scope = new TensorScope(); TensorScope staging = new TensorScope()) {
            Tensor w = b.allocate(scope, DType.F32, 2, 3), labels = b.allocate(scope, DType.I32, 2);
            b.upload(new float[] {1, -2, 3, -4, 5, -6}, w);
            Tensor host = Tensor.of(scope, new float[] {7, 8}, 2);
            Map<String, Tensor> state = new LinkedHashMap<>();
            state.put("w", w);
            state.put("h", host);
            assertFalse(HostStaging.allHost(state));

            Map<String, Tensor> copies = HostStaging.toHost(b, state, staging);
            assertTrue(copies.get("w").isHost());
            assertArrayEquals(new float[] {1, -2, 3, -4, 5, -6}, copies.get("w").toFloatArray());
            assertSame(host, copies.get("h"), "host tensors are not copied");

            Map<String, Tensor> targets = Map.of("w", w, "labels", labels);
            Map<String, Tensor> filled = HostStaging.hostLike(targets, staging);
            filled.get("w").copyFrom(new float[] {6, 5, 4, 3, 2, 1});
            filled.get("labels").copyFrom(new int[] {3, 9});
            HostStaging.upload(b, filled, targets);
            float[] back = new float[6];
            b.download(w, back);
            assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, back);
            int[] labelsBack = new int[2];
            b.download(labels, labelsBack);
            assertArrayEquals(new int[] {3, 9}, labelsBack, "I32 tensors go up as ints");

            assertThrows(IllegalArgumentException.class, () -> HostStaging.upload(b, Map.of(), Map.of("w", w)), "a missing name is refused");
            Tensor half = b.allocate(scope, DType.F16, 2);
            assertThrows(IllegalArgumentException.class, () -> HostStaging.toHost(b, Map.of("half", half), staging), "only F32 moves");
        }
    }
}
