package org.edgeq.onnx;

import java.nio.file.Files;
import java.nio.file.Path;

import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.cli.ExitCodes;
import org.edgeq.data.Dataset;
import org.edgeq.data.SharedData;
import org.edgeq.study.DataLoading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's acceptance runs on the real datasets: dense-simple on Telescope (FP32), cnn-small on Fashion-MNIST after
 * W8A8 QAT (QDQ) and resnet9 on Fashion-MNIST (FP32), each exported to ONNX, run in ONNX Runtime on its model's own
 * test split and compared with EdgeQ; prints the table. Minutes of CPU time, so only with
 * {@code -Dedgeq.onnxAcceptance=true} (see docs/interop.md), and skipped without shared/data.
 * {@code -Dedgeq.onnxAcceptanceDir=DIR} keeps the models and exports there (default: target/onnx-acceptance).
 */
@EnabledIfSystemProperty(named = "edgeq.onnxAcceptance", matches = "true")
class OnnxAcceptanceTest {

    @Test
    void realDataExportsMatchOnnxRuntime() throws Exception {
        Path data = SharedData.require("telescope.dat").getParent();
        SharedData.require("fashion-mnist");
        Path work = Files.createDirectories(Path.of(System.getProperty("edgeq.onnxAcceptanceDir", "target/onnx-acceptance")));
        String[] common = {"--data-dir", data.toString(), "--overwrite"};

        Path tel = CliRuns.train(work.resolve("telescope-dense-simple"), "telescope", "dense-simple", 5, common);
        Path fm = CliRuns.train(work.resolve("fm-cnn-small"), "fashion-mnist", "cnn-small", concat(common, "--limit", "20000"));
        CliRuns.Run qat = CliRuns.edgeq("qat", "--model", fm.toString(), "--bits", "8", "--act-bits", "8", "--epochs", "1",
                "--data-dir", data.toString(), "--backend", "cpu", "--overwrite", "--out", work.resolve("fm-cnn-small-qat").toString());
        assertEquals(ExitCodes.OK, qat.code(), qat.err());
        Path w8a8 = work.resolve("fm-cnn-small-qat").resolve("qat-w8a8");
        Path resnet = CliRuns.train(work.resolve("fm-resnet9"), "fashion-mnist", "resnet9", concat(common, "--limit", "4000"));

        StringBuilder table = new StringBuilder(RuntimeComparison.header()).append('\n');
        for (Path model : new Path[] {tel, w8a8, resnet}) {
            RuntimeComparison c = compare(model, work, data);
            table.append(c.row(model.getFileName().toString().equals("qat-w8a8") ? "fm-cnn-small-w8a8 (QDQ)" : model.getFileName().toString())).append('\n');
            if (model == w8a8) {
                assertTrue(c.argmaxAgree() >= 0.999, "arg-max agreement " + c.argmaxAgree());
                assertEquals(c.edgeqAccuracy(), c.ortAccuracy(), 0.001);
            } else {
                assertTrue(c.maxRelDiff() <= 1e-5, model + ": max relative difference " + c.maxRelDiff());
            }
        }
        System.out.println(table);
        Files.writeString(work.resolve("table.txt"), table);
    }

    private static RuntimeComparison compare(Path model, Path work, Path data) throws Exception {
        Path onnx = work.resolve(model.getFileName() + ".onnx");
        CliRuns.Run r = CliRuns.edgeq("export", "--model", model.toString(), "--format", "onnx", "--out", onnx.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        for (String format : new String[] {"safetensors", "safetensors-packed"}) {
            CliRuns.Run s = CliRuns.edgeq("export", "--model", model.toString(), "--format", format,
                    "--out", work.resolve(model.getFileName() + "." + format + ".safetensors").toString());
            assertEquals(ExitCodes.OK, s.code(), s.err());
        }
        try (CpuBackend backend = new CpuBackend(2); ExportableModel m = ExportableModel.open(model, backend)) {
            var meta = m.description().training();
            Dataset all = meta.select(DataLoading.load(DataLoading.registry(data), meta.source(), null).dataset());
            // A compression row folder keeps no split.json: its rows are the base model's (the folder's grandparent's).
            Path splitDir = Files.exists(model.resolve(Checkpoint.SPLIT)) ? model : model.getParent().getParent().resolve("fm-cnn-small");
            int[] test = Checkpoint.readSplit(splitDir, all.name(), all.size()).orElseThrow().test();
            return RuntimeComparison.of(m, Files.readAllBytes(onnx), all.subset(test));
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
