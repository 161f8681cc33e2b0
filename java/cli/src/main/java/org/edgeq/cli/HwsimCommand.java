package org.edgeq.cli;

import org.edgeq.study.ModelUnderStudy;
import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.WorkerPool;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.hwsim.DeviceProfile;
import org.edgeq.hwsim.EnergyModel;
import org.edgeq.hwsim.EnergyTable;
import org.edgeq.hwsim.FakeQuantVariant;
import org.edgeq.hwsim.IntGemms;
import org.edgeq.hwsim.IntegerModel;
import org.edgeq.hwsim.NetworkGraph;
import org.edgeq.hwsim.Simulation;
import org.edgeq.nn.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** {@code edgeq hwsim}: integer-only inference of a quantized model against its fake-quant twin, an energy model and rooflines. */
@Command(name = "hwsim", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Simulate integer hardware on a model's own test split. For each precision the model is made into a fake-quant "
                        + "model (batch norms folded into the layer before them; weights symmetric per output channel; each "
                        + "weight layer's input per tensor) and run twice: through EdgeQ's fake-quant path (float arithmetic on "
                        + "quantized values) and with integer arithmetic only: int8/int4/int2 codes, an accumulator of --acc-bits "
                        + "that saturates (every clamp counted per layer), int32 biases in units of s_in * s_w with the input "
                        + "zero point folded in, requantization by a Q31 multiplier and shift as gemmlowp/TFLite do it "
                        + "(SaturatingRoundingDoublingHighMul, RoundingDivideByPOT), ReLU fused into the clamp, max pool and "
                        + "flatten on the codes, the output layer's accumulators dequantized. The two agree within one "
                        + "quantization step per layer wherever nothing saturates; the table shows both accuracies, their "
                        + "agreement and the saturations.",
                "",
                "From a trained FP32 directory the model is quantized here at each --bits (weight scales from per-channel "
                        + "min-max, activation ranges calibrated on --calibration-batches training batches); from an export with "
                        + "activation ranges ('edgeq qat --act-bits 8', 'edgeq quantize --method affine --act-bits 8') its own "
                        + "precision and ranges are used.",
                "",
                "Energy per inference is a MODEL, not a measurement: MACs, BOPs and bytes moved at each memory level under the "
                        + "stated dataflow, priced by Horowitz, ISSCC 2014 (45 nm: int8 add 0.03 pJ, int32 add 0.1, int8 mult "
                        + "0.2, int32 mult 3.1, fp32 add 0.9, fp32 mult 3.7; 64-bit SRAM 10/20/100 pJ at 8 KB/32 KB/1 MB; DRAM "
                        + "1.3-2.6 nJ per 64 bits, 1.95 used). Narrower integers: multiplier ~ bits_w x bits_a, adder ~ bits; a 1 KB "
                        + "register file is derived as 10 pJ x sqrt(1/8). --node-nm/--vdd scale logic and SRAM by C V^2 with C ~ "
                        + "node, DRAM unscaled. Dataflow: " + EnergyModel.DATAFLOW + ".",
                "",
                "Rooflines (model): time = max(2 x MACs / peak ops at the precision, DRAM bytes / bandwidth), energy = time x "
                        + "board power (generic-45nm: the energy model); devices: generic-45nm (hypothetical 256-MAC int8 "
                        + "accelerator), cpu (this machine, peaks derived from cores, clock and vector width), sm_80 (A100), "
                        + "sm_89 (L40S), sm_90 (H100), from their datasheets (dense figures). Batch-1 kernel launch latency is "
                        + "not in a roofline.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq hwsim --model runs/fm --bits 8,4,2 --acc-bits 32,16",
                "  edgeq hwsim --model runs/tel-qat/qat-w8a8 --device sm_80,cpu --json | tail -n 1",
                "  edgeq hwsim --model runs/fm --energy-table my-7nm.json"})
final class HwsimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    StudiedModelOption model;

    @Option(names = "--bits", paramLabel = "N", split = ",", converter = Ranges.HwsimBits.class,
            description = "Weight widths for a trained FP32 model, each 2..8 (default: 8). An export has its own.")
    List<Integer> bits;

    @Option(names = "--act-bits", paramLabel = "N", converter = Ranges.HwsimBits.class,
            description = "Activation width for a trained FP32 model, 2..8 (default: 8). An export has its own.")
    Integer actBits;

    @Option(names = "--act-symmetric", description = "Symmetric activation grids (zero point 0) for a trained FP32 model; "
            + "default asymmetric (unsigned codes stored shifted by 2^(bits-1), TFLite's int8 form).")
    boolean actSymmetric;

    @Option(names = "--acc-bits", paramLabel = "N", split = ",", defaultValue = "32,16",
            description = "Accumulator widths, each 32, 24 or 16 (default: ${DEFAULT-VALUE}).")
    List<Integer> accBits;

    @Option(names = "--rounding", paramLabel = "MODE", defaultValue = "double",
            description = "Requantization rounding: double (gemmlowp / TFLite's default: SaturatingRoundingDoublingHighMul then "
                    + "RoundingDivideByPOT) or single (TFLite built with TFLITE_SINGLE_ROUNDING) (default: ${DEFAULT-VALUE}).")
    IntegerModel.Rounding rounding;

    @Option(names = "--calibration-batches", paramLabel = "N", defaultValue = "16", converter = Ranges.AtLeastOne.class,
            description = "Training batches (of --batch-size rows) that calibrate activation ranges of an FP32 model (default: ${DEFAULT-VALUE}).")
    int calibrationBatches;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", converter = Ranges.BatchSize.class, description = "Samples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", converter = Ranges.SampleLimit.class, description = "Use only the first N test samples (default: all).")
    int limit;

    @Option(names = "--energy-table", paramLabel = "FILE", description = "JSON object overriding keys of the energy table "
            + "(pJ): source, node_nm, vdd_v, int8_add_pj, int32_add_pj, int8_mult_pj, int32_mult_pj, fp16_add_pj, fp32_add_pj, "
            + "fp16_mult_pj, fp32_mult_pj, reg_64b_pj, sram_8kb_64b_pj, sram_32kb_64b_pj, sram_1mb_64b_pj, dram_64b_pj. Unknown "
            + "keys and negative values are refused.")
    Path energyTable;

    @Option(names = "--node-nm", paramLabel = "NM", converter = Ranges.Positive.class, description = "Scale the table to this process node (default: the table's).")
    Double nodeNm;

    @Option(names = "--vdd", paramLabel = "V", converter = Ranges.Positive.class, description = "Supply voltage with --node-nm (default: the table's).")
    Double vdd;

    @Option(names = "--device", paramLabel = "NAME", split = ",", defaultValue = "generic-45nm,cpu,sm_80,sm_89,sm_90",
            description = "Devices for the roofline estimates (default: ${DEFAULT-VALUE}).")
    List<String> devices;

    /** One precision's outcome, for the summary and JSON. */
    private record PrecisionResult(int wBits, int aBits, boolean symmetric, String weightsFrom, Simulation.Outputs fakeQuant,
                                   double fakeQuantSeconds, List<Simulation.IntegerRun> runs, List<Simulation.Agreement> agreements,
                                   List<String> layerPaths, List<String> layerTypes, List<EnergyModel.Estimate> energy,
                                   List<DeviceProfile.Roofline> rooflines) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        common.validate();
        for (int a : accBits) if (a != 32 && a != 24 && a != 16) throw new UsageException("--acc-bits " + a + " is not 32, 24 or 16");
        List<Integer> accs = List.copyOf(new LinkedHashSet<>(accBits));
        if (vdd != null && nodeNm == null) throw new UsageException("--vdd goes with --node-nm");
        List<DeviceProfile> profiles = new ArrayList<>();
        for (String d : new LinkedHashSet<>(devices)) {
            try {
                profiles.add(DeviceProfile.named(d));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--device: " + e.getMessage());
            }
        }
        EnergyTable table = EnergyTable.horowitz45nm();
        if (energyTable != null) {
            if (!Files.isRegularFile(energyTable)) throw new UsageException("--energy-table " + energyTable + ": no such file");
            try {
                table = table.override(energyTable);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--energy-table " + e.getMessage());
            }
        }
        if (nodeNm != null) table = table.scaledTo(nodeNm, vdd != null ? vdd : table.vddV());

        boolean fromExport = fromExport();
        if (fromExport && (bits != null || actBits != null || actSymmetric)) {
            throw new UsageException("--bits, --act-bits and --act-symmetric apply to a trained FP32 model; " + model.dir
                    + " is an export with its own precision");
        }
        List<Integer> widths = bits == null ? List.of(8) : List.copyOf(new LinkedHashSet<>(bits));
        int aBits = actBits == null ? 8 : actBits;
        ModelUnderStudy study = model.open(common);
        CompressedModelFile.Contents export = fromExport ? CompressedModelFile.read(model.dir.resolve(CompressedModelFile.FILE_NAME)) : null;
        if (export != null && export.metadata().get("activations") == null) {
            throw new UsageException(model.dir + " carries no activation ranges; integer inference needs them (export with "
                    + "'edgeq qat --act-bits 8' or 'edgeq quantize --method affine --act-bits 8')");
        }
        Dataset test = study.test;
        if (limit > 0 && limit < test.size()) test = test.subset(IntStream.range(0, limit).toArray());
        String metric = test.task() == Task.CLASSIFICATION ? "accuracy" : "mse";
        int threads = common.threads > 0 ? common.threads : Runtime.getRuntime().availableProcessors();
        try (WorkerPool pool = new WorkerPool(threads)) {
            IntGemms.Choice gemm = IntGemms.best(pool);

            List<PrecisionResult> results = new ArrayList<>();
            Simulation.Outputs fp32;
            EnergyModel.Estimate fp32Energy;
            List<DeviceProfile.Roofline> fp32Roofline = new ArrayList<>();
            try (Backend backend = BackendSelection.open(common, err)) {
                try (Model net = study.build(backend, common.seed)) {
                    fp32 = Simulation.modelOutputs(net, test, batchSize);
                    fp32Energy = EnergyModel.estimate(NetworkGraph.forCosts(net), EnergyModel.Precision.fp32(), table);
                    for (DeviceProfile p : profiles) fp32Roofline.add(p.roofline(fp32Energy));
                }
                List<Integer> plan = fromExport ? List.of(-1) : widths;
                for (int w : plan) {
                    try (Model net = study.build(backend, common.seed);
                         FakeQuantVariant v = fromExport ? FakeQuantVariant.fromExport(net, export)
                                 : FakeQuantVariant.calibrate(net, study.train, calibrationBatches, batchSize, w, aBits, actSymmetric)) {
                        err.printf(Locale.ROOT, "hwsim: w%da%d: fake-quant pass ...%n", v.weightBits(), v.activationBits());
                        long t0 = System.nanoTime();
                        Simulation.Outputs fq = Simulation.modelOutputs(net, test, batchSize);
                        double fqSeconds = (System.nanoTime() - t0) / 1e9;
                        IntegerModel im = v.compile(rounding);
                        List<Simulation.IntegerRun> runs = new ArrayList<>();
                        List<Simulation.Agreement> agreements = new ArrayList<>();
                        List<EnergyModel.Estimate> energy = new ArrayList<>();
                        NetworkGraph graph = NetworkGraph.of(net);
                        for (int acc : accs) {
                            err.printf(Locale.ROOT, "hwsim: w%da%d: integer pass, %d-bit accumulator (%s, %d threads) ...%n",
                                    v.weightBits(), v.activationBits(), acc, gemm.name(), threads);
                            Simulation.IntegerRun run = Simulation.runInteger(im, test, gemm.gemm(), acc, batchSize, threads);
                            runs.add(run);
                            agreements.add(Simulation.compare(fq, run.outputs(), test.task()));
                            energy.add(EnergyModel.estimate(graph, new EnergyModel.Precision(v.weightBits(), v.activationBits(), acc), table));
                        }
                        EnergyModel.Estimate at32 = EnergyModel.estimate(graph, new EnergyModel.Precision(v.weightBits(), v.activationBits(), 32), table);
                        List<DeviceProfile.Roofline> roof = new ArrayList<>();
                        for (DeviceProfile p : profiles) roof.add(p.roofline(at32));
                        results.add(new PrecisionResult(v.weightBits(), v.activationBits(), v.symmetricActivations(), v.weightsFrom(), fq, fqSeconds,
                                runs, agreements, im.layerPaths(), graph.stages().stream().map(s -> s.layer().type()).toList(), energy, roof));
                    }
                }
            }

            String where = model.dir + " (" + study.modelName() + ", " + test.name() + " test split, " + test.size() + " samples)";
            if (common.json) {
                out.println(json(where, test, metric, gemm, rounding, table, fp32, fp32Energy, fp32Roofline, results, profiles));
            } else {
                printText(out, where, metric, gemm, rounding, table, fp32, fp32Energy, fp32Roofline, results, profiles, threads);
            }
        }
        return ExitCodes.OK;
    }

    private boolean fromExport() {
        return !Files.exists(model.dir.resolve(Checkpoint.WEIGHTS)) && Files.exists(model.dir.resolve(CompressedModelFile.FILE_NAME));
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String quality(String metric, double v) {
        return metric.equals("accuracy") ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String delta(String metric, double intQ, double fq) {
        return metric.equals("accuracy") ? String.format(Locale.ROOT, "%+.2f pts", 100 * (intQ - fq)) : String.format(Locale.ROOT, "%+.3g", intQ - fq);
    }

    private void printText(PrintWriter out, String where, String metric, IntGemms.Choice gemm, IntegerModel.Rounding mode, EnergyTable table,
                           Simulation.Outputs fp32, EnergyModel.Estimate fp32Energy, List<DeviceProfile.Roofline> fp32Roofline,
                           List<PrecisionResult> results, List<DeviceProfile> profiles, int threads) {
        out.println("edgeq hwsim: " + where);
        out.println("integer GEMM: " + gemm.name() + " (" + gemm.reason() + "), " + threads + " threads; requantization rounding: "
                + mode.cliName() + (mode == IntegerModel.Rounding.DOUBLE ? " (gemmlowp / TFLite default)" : " (TFLITE_SINGLE_ROUNDING)"));
        out.printf(Locale.ROOT, "%s: %s %s%n", fromExport() ? "the export in float (its weights as stored, activations not quantized)"
                : "FP32 model", metric, quality(metric, fp32.quality()));
        for (PrecisionResult r : results) {
            out.println();
            out.printf(Locale.ROOT, "== W%dA%d (activations %s per tensor; weights %s) ==%n", r.wBits(), r.aBits(),
                    r.symmetric() ? "symmetric" : "asymmetric", r.weightsFrom());
            out.printf(Locale.ROOT, "fake-quant model: %s %s (%.2f s)%n", metric, quality(metric, r.fakeQuant().quality()), r.fakeQuantSeconds());
            out.printf(Locale.ROOT, "%-10s %-12s %-16s %-12s %-14s %-16s %s%n", "acc bits", "int " + metric, "vs fake-quant",
                    "agreement", "saturations", "max |out diff|", "seconds");
            for (int i = 0; i < r.runs().size(); i++) {
                Simulation.IntegerRun run = r.runs().get(i);
                Simulation.Agreement a = r.agreements().get(i);
                out.printf(Locale.ROOT, "%-10d %-12s %-16s %-12s %-14d %-16.4g %.2f%n", run.accBits(), quality(metric, run.outputs().quality()),
                        delta(metric, run.outputs().quality(), r.fakeQuant().quality()), pct(a.predictionAgreement()), run.totalSaturations(),
                        a.maxAbsOutputDifference(), run.seconds());
            }
            out.println("saturated partial sums per layer (accumulator clamps + int32 output-stage clamps), over all samples:");
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-12s %-8s", "layer", "type"));
            for (Simulation.IntegerRun run : r.runs()) head.append(String.format(Locale.ROOT, " %14s", "acc" + run.accBits()));
            out.println(head);
            for (int l = 0; l < r.layerPaths().size(); l++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-12s %-8s", r.layerPaths().get(l), r.layerTypes().get(l)));
                for (Simulation.IntegerRun run : r.runs()) {
                    row.append(String.format(Locale.ROOT, " %14d", run.accumulatorSaturations()[l] + run.outputStageSaturations()[l]));
                }
                out.println(row);
            }
            EnergyModel.Estimate e = r.energy().get(0);
            out.printf(Locale.ROOT, "energy per inference at %s (model: %s):%n", e.precision().label(), e.source());
            printEnergyLayers(out, e);
            StringBuilder totals = new StringBuilder("  est_energy_uj_per_inference (model):");
            for (EnergyModel.Estimate x : r.energy()) totals.append(String.format(Locale.ROOT, " %.4g µJ at %s;", x.microjoules(), x.precision().label()));
            out.println(totals);
            printRoofline(out, r.rooflines(), profiles);
        }
        out.println();
        out.printf(Locale.ROOT, "FP32 reference: energy per inference %.4g µJ (model: %s)%n", fp32Energy.microjoules(), fp32Energy.source());
        printEnergyLayers(out, fp32Energy);
        printRoofline(out, fp32Roofline, profiles);
        out.println();
        out.println("summary (energies are a model: " + table.source() + "):");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-10s %-14s", "precision", "fake-quant"));
        List<Integer> accs = results.isEmpty() ? List.of() : results.getFirst().runs().stream().map(Simulation.IntegerRun::accBits).toList();
        for (int a : accs) head.append(String.format(Locale.ROOT, " %-16s", "int acc" + a));
        head.append(" µJ/inference");
        out.println(head);
        out.printf(Locale.ROOT, "  %-10s %-14s%s %.4g%n", "fp32", quality(metric, fp32.quality()), " ".repeat(17 * accs.size()), fp32Energy.microjoules());
        for (PrecisionResult r : results) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-10s %-14s", "w" + r.wBits() + "a" + r.aBits(), quality(metric, r.fakeQuant().quality())));
            for (Simulation.IntegerRun run : r.runs()) row.append(String.format(Locale.ROOT, " %-16s", quality(metric, run.outputs().quality())));
            row.append(String.format(Locale.ROOT, " %.4g", r.energy().get(0).microjoules()));
            out.println(row);
        }
        out.println("dataflow: " + EnergyModel.DATAFLOW);
    }

    private static void printEnergyLayers(PrintWriter out, EnergyModel.Estimate e) {
        out.printf(Locale.ROOT, "  %-12s %-8s %12s %14s %10s %10s %10s %-8s %10s %10s %10s %10s %10s%n", "layer", "type", "MACs", "BOPs",
                "DRAM B", "SRAM B", "reg B", "SRAM", "compute nJ", "reg nJ", "SRAM nJ", "DRAM nJ", "total nJ");
        for (EnergyModel.LayerEnergy l : e.layers()) {
            out.printf(Locale.ROOT, "  %-12s %-8s %12d %14d %10.0f %10.0f %10.0f %-8s %10.3f %10.3f %10.3f %10.3f %10.3f%n", l.path(), l.type(),
                    l.macs(), l.bops(), l.dramBytes(), l.sramBytes(), l.registerBytes(), l.sramLevel(), l.computePj() / 1e3, l.registerPj() / 1e3,
                    l.sramPj() / 1e3, l.dramPj() / 1e3, l.totalPj() / 1e3);
        }
        out.printf(Locale.ROOT, "  %-12s %-8s %12d %14d %10.0f %10.0f %10.0f %-8s %10.3f %10.3f %10.3f %10.3f %10.3f%n", "total", "", e.macs(), e.bops(),
                e.dramBytes(), e.sramBytes(), e.registerBytes(), "", e.computePj() / 1e3, e.registerPj() / 1e3, e.sramPj() / 1e3, e.dramPj() / 1e3,
                e.totalPj() / 1e3);
    }

    private static void printRoofline(PrintWriter out, List<DeviceProfile.Roofline> roof, List<DeviceProfile> profiles) {
        out.println("  roofline per inference (model):");
        out.printf(Locale.ROOT, "    %-13s %-8s %12s %12s  %s%n", "device", "bound", "time µs", "energy µJ", "energy from");
        for (DeviceProfile.Roofline r : roof) {
            out.printf(Locale.ROOT, "    %-13s %-8s %12.4g %12.4g  %s%n", r.device(), r.bound(), r.seconds() * 1e6, r.microjoules(), r.energyFrom());
        }
    }

    private String json(String where, Dataset test, String metric, IntGemms.Choice gemm, IntegerModel.Rounding mode, EnergyTable table,
                        Simulation.Outputs fp32, EnergyModel.Estimate fp32Energy, List<DeviceProfile.Roofline> fp32Roofline,
                        List<PrecisionResult> results, List<DeviceProfile> profiles) {
        JsonLine j = new JsonLine().put("command", "hwsim").put("model", model.dir.toString()).put("dataset", test.name())
                .put("samples", test.size()).put("metric", metric).put("gemm", gemm.name()).put("rounding", mode.cliName())
                .put("label", "model").put("energy_source", table.source()).put("energy_table", table.toMap())
                .put("dataflow", EnergyModel.DATAFLOW);
        Map<String, Object> fp = new LinkedHashMap<>();
        fp.put("model", fromExport() ? "the export in float (weights as stored, activations not quantized)" : "the FP32 model");
        fp.put(metric, finite(fp32.quality()));
        fp.put("energy", energyJson(fp32Energy));
        fp.put("roofline", rooflineJson(fp32Roofline));
        j.put("fp32", fp);
        List<Object> ps = new ArrayList<>();
        for (PrecisionResult r : results) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("w_bits", r.wBits());
            p.put("a_bits", r.aBits());
            p.put("a_symmetric", r.symmetric());
            p.put("weights_from", r.weightsFrom());
            p.put("fake_quant_" + metric, finite(r.fakeQuant().quality()));
            List<Object> runs = new ArrayList<>();
            for (int i = 0; i < r.runs().size(); i++) {
                Simulation.IntegerRun run = r.runs().get(i);
                Simulation.Agreement a = r.agreements().get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("acc_bits", run.accBits());
                m.put("int_" + metric, finite(run.outputs().quality()));
                m.put("prediction_agreement", finite(a.predictionAgreement()));
                m.put("max_abs_output_difference", finite(a.maxAbsOutputDifference()));
                m.put("saturations", run.totalSaturations());
                Map<String, Object> perLayer = new LinkedHashMap<>();
                for (int l = 0; l < r.layerPaths().size(); l++) {
                    perLayer.put(r.layerPaths().get(l), Map.of("accumulator", run.accumulatorSaturations()[l], "output_stage", run.outputStageSaturations()[l]));
                }
                m.put("saturations_per_layer", perLayer);
                m.put("seconds", run.seconds());
                m.put("est_energy_uj_per_inference", r.energy().get(i).microjoules());
                runs.add(m);
            }
            p.put("integer", runs);
            p.put("energy", energyJson(r.energy().get(0)));
            p.put("roofline", rooflineJson(r.rooflines()));
            ps.add(p);
        }
        j.put("precisions", ps);
        List<Object> devs = new ArrayList<>();
        for (DeviceProfile d : profiles) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("description", d.description());
            m.put("int8_ops", d.int8Ops());
            m.put("int4_ops", d.int4Ops());
            m.put("fp16_ops", d.fp16Ops());
            m.put("fp32_ops", d.fp32Ops());
            m.put("bytes_per_second", d.bytesPerSecond());
            m.put("watts", d.watts());
            m.put("source", d.source());
            devs.add(m);
        }
        j.put("devices", devs);
        return j.toString();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Map<String, Object> energyJson(EnergyModel.Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", e.precision().label());
        m.put("est_energy_uj_per_inference", e.microjoules());
        m.put("macs", e.macs());
        m.put("bops", e.bops());
        m.put("dram_bytes", e.dramBytes());
        m.put("sram_bytes", e.sramBytes());
        m.put("register_bytes", e.registerBytes());
        m.put("compute_pj", e.computePj());
        m.put("register_pj", e.registerPj());
        m.put("sram_pj", e.sramPj());
        m.put("dram_pj", e.dramPj());
        List<Object> layers = new ArrayList<>();
        for (EnergyModel.LayerEnergy l : e.layers()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("layer", l.path());
            x.put("type", l.type());
            x.put("macs", l.macs());
            x.put("bops", l.bops());
            x.put("dram_bytes", l.dramBytes());
            x.put("sram_bytes", l.sramBytes());
            x.put("register_bytes", l.registerBytes());
            x.put("sram_level", l.sramLevel());
            x.put("compute_pj", l.computePj());
            x.put("register_pj", l.registerPj());
            x.put("sram_pj", l.sramPj());
            x.put("dram_pj", l.dramPj());
            x.put("total_pj", l.totalPj());
            layers.add(x);
        }
        m.put("layers", layers);
        return m;
    }

    private static List<Object> rooflineJson(List<DeviceProfile.Roofline> roof) {
        List<Object> out = new ArrayList<>();
        for (DeviceProfile.Roofline r : roof) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", r.device());
            m.put("label", "model");
            m.put("bound", r.bound());
            m.put("seconds", r.seconds());
            m.put("compute_seconds", r.computeSeconds());
            m.put("memory_seconds", r.memorySeconds());
            m.put("energy_uj", r.microjoules());
            m.put("energy_from", r.energyFrom());
            out.add(m);
        }
        return out;
    }
}
