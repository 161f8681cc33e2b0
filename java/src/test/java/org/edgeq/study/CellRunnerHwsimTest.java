package org.edgeq.study;

import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.hwsim.FakeQuantVariant;
import org.edgeq.hwsim.IntegerModel;
import org.edgeq.hwsim.NaiveIntGemm;
import org.edgeq.hwsim.Simulation;
import org.edgeq.nn.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A study's hwsim cell against the simulator run by hand on the same base model. */
class CellRunnerHwsimTest {
    @TempDir
    Path dir;

    @Test
    void theHwsimRowIsTheIntegerRunOfTheCalibratedModelAndW8A8StaysNearFakeQuant() throws Exception {
        BaseModelSpec base = StudyPlanTest.base("synthetic-blobs", 1);
        Variant.Hwsim w8 = new Variant.Hwsim(8, 8, 32, 4);
        Variant.Hwsim w4 = new Variant.Hwsim(4, 8, 32, 4);
        StudyPlan plan = StudyPlan.of(new StudySpec(List.of(base), List.of(new Variant.Baseline(), w8, w4)));

        StudyRunner.Outcome o = StudyRunnerTest.run(dir, plan, 1, new StudyRunnerTest.Recorder());
        assertEquals(0, o.failed());

        ModelUnderStudy study = ModelUnderStudy.open("base model", dir.resolve("models").resolve(BaseModelKey.of(base)), null);
        for (Variant.Hwsim v : List.of(w8, w4)) {
            String id = StudyCell.idOf(base, v);
            ResultRow row = o.rows().stream().filter(r -> id.equals(r.provenance().cellId())).findFirst().orElseThrow();
            assertEquals("hwsim-int", row.recipe().method());
            assertEquals(v.weightBits(), row.recipe().wBits());
            assertEquals(8, row.recipe().aBits());
            assertTrue(row.cost().estEnergyUjPerInference() > 0, "the hardware model's energy");

            // The reference: the same calibration (the runner's 64-sample batches), the stepwise integer GEMM, one thread.
            try (CpuBackend backend = new CpuBackend(1); Model net = study.build(backend, base.seed());
                 FakeQuantVariant fq = FakeQuantVariant.calibrate(net, study.train, v.calibrationBatches(), 64, v.weightBits(), 8, false)) {
                Simulation.Outputs fake = Simulation.modelOutputs(net, study.test, 64);
                Simulation.IntegerRun ref = Simulation.runInteger(fq.compile(IntegerModel.Rounding.DOUBLE), study.test, new NaiveIntGemm(),
                        32, 64, 1);
                assertEquals(ref.outputs().quality(), row.quality().testAcc(), 0.0, v.label());
                if (v.weightBits() == 8) {
                    assertTrue(Math.abs(row.quality().testAcc() - fake.quality()) <= 0.02,
                            "W8A8 integer " + row.quality().testAcc() + " vs fake-quant " + fake.quality());
                }
            }
        }
    }

    @Test
    void aRegressionModelsHwsimRowHoldsTheIntegerRunsMseAndR2() throws Exception {
        BaseModelSpec base = StudyPlanTest.base("synthetic-regression", 1);
        StudyPlan plan = StudyPlan.of(new StudySpec(List.of(base), List.of(new Variant.Hwsim(8, 8, 32, 4))));
        StudyRunner.Outcome o = StudyRunnerTest.run(dir, plan, 1, new StudyRunnerTest.Recorder());
        assertEquals(0, o.failed());
        ResultRow row = o.rows().getFirst();
        assertTrue(row.quality().testMse() >= 0 && Double.isFinite(row.quality().testR2()), row.toString());
        assertTrue(Double.isNaN(row.quality().testAcc()) && Double.isNaN(row.quality().trainLoss()), "only the integer run's test figures");
    }
}
