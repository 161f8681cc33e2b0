package org.edgeq.hwsim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The peak figures of a device a user would compare, for a roofline estimate of one inference: time = max(ops /
 * peak ops at the precision, DRAM bytes / bandwidth), energy = time x board power (or, for the generic accelerator,
 * the {@link EnergyModel} itself). Every figure is a published peak or a stated assumption with its source; the
 * estimates are a model, never a measurement (real batch-1 inference adds launch and synchronisation latency that a
 * roofline ignores: microseconds per kernel on a GPU).
 *
 * @param int8Ops  peak dense int8 operations per second (a MAC is 2 operations)
 * @param int4Ops  peak dense int4 operations per second, 0 where the device has no int4 path (int8 is used)
 * @param fp16Ops  peak dense FP16 (tensor) FLOP/s
 * @param fp32Ops  peak FP32 FLOP/s (no TF32: EdgeQ computes strict FP32)
 * @param bytesPerSecond DRAM / HBM bandwidth
 * @param watts    board power while busy (TDP / max board power), null for the table-priced accelerator
 */
public record DeviceProfile(String name, String description, double int8Ops, double int4Ops, double fp16Ops, double fp32Ops,
                            double bytesPerSecond, Double watts, String source) {

    /** Names for --device, in the order they print. */
    public static final List<String> NAMES = List.of("generic-45nm", "cpu", "sm_80", "sm_89", "sm_90");

    /**
     * A hypothetical 45 nm int8 accelerator of the kind Horowitz's table prices: 256 int8 MACs per cycle at 1 GHz
     * (0.512 TOPS int8; lower widths pack 8 / bits operands per lane: int4 at 2x), FP32 at 1/16 of the int8 MAC
     * rate, one 64-bit DDR3-1600 channel (12.8 GB/s); its energy is the energy model's, not power x time.
     */
    public static DeviceProfile generic45nm() {
        return new DeviceProfile("generic-45nm", "hypothetical 45 nm int8 accelerator: 256 MAC/cycle at 1 GHz, DDR3-1600 x64",
                0.512e12, 1.024e12, 0.064e12, 0.032e12, 12.8e9, null,
                "EdgeQ's assumption (model); energy from the energy table");
    }

    /** NVIDIA A100 SXM4 80 GB (sm_80). */
    public static DeviceProfile sm80() {
        return new DeviceProfile("sm_80", "NVIDIA A100 SXM4 80GB", 624e12, 1248e12, 312e12, 19.5e12, 2039e9, 400.0,
                "NVIDIA A100 Tensor Core GPU datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf): dense INT8 624 TOPS, "
                        + "INT4 1248 TOPS, FP16 tensor 312 TFLOPS, FP32 19.5 TFLOPS, HBM2e 2,039 GB/s, max TDP 400 W");
    }

    /** NVIDIA L40S (sm_89; an RTX 4090 is the same architecture with other clocks and memory). */
    public static DeviceProfile sm89() {
        return new DeviceProfile("sm_89", "NVIDIA L40S (Ada; RTX 4090 is the consumer part)", 733e12, 1466e12, 362e12, 91.6e12, 864e9, 350.0,
                "NVIDIA L40S datasheet: dense INT8 tensor 733 TOPS, INT4 1,466 TOPS, FP16 tensor 362 TFLOPS, FP32 91.6 TFLOPS, "
                        + "GDDR6 864 GB/s, max power 350 W (sparse figures, twice these, not used)");
    }

    /** NVIDIA H100 SXM5 80 GB (sm_90). */
    public static DeviceProfile sm90() {
        return new DeviceProfile("sm_90", "NVIDIA H100 SXM5 80GB", 1979e12, 0, 989e12, 67e12, 3350e9, 700.0,
                "NVIDIA H100 Tensor Core GPU datasheet: dense INT8 1,979 TOPS (3,958 with sparsity), FP16 tensor 989 TFLOPS, "
                        + "FP32 67 TFLOPS, HBM3 3.35 TB/s, max TDP 700 W; no INT4 tensor path (int8 used)");
    }

    /**
     * This machine's CPU, derived from /proc/cpuinfo: cores x clock x lanes. FP32: two 512-bit (or 256-bit) FMA pipes
     * per core, 2 FLOP per lane. Int8 with AVX-512 VNNI: VPDPBUSD does 4 u8 x s8 MACs per 32-bit lane; two per cycle
     * per core assumed (as for the FMA pipes); without VNNI, int8 is taken as twice FP32 (pmaddubsw-style). Int4 has
     * no instruction: int8. Bandwidth and power are assumptions stated in the description: 38.4 GB/s (one DDR5-4800
     * channel shared) and 5 W per core (a 64-core 320 W server part's share).
     */
    public static DeviceProfile cpu() {
        int cores = Runtime.getRuntime().availableProcessors();
        double ghz = 2.0;
        String model = "unknown CPU";
        String clockFrom = "assumed 2.0 GHz (/proc/cpuinfo unreadable)";
        boolean avx512 = false, vnni = false, avx2 = false;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                String[] kv = l.split(":", 2);
                if (kv.length < 2) continue;
                String k = kv[0].strip(), v = kv[1].strip();
                if (k.equals("model name") && model.equals("unknown CPU")) model = v;
                if (k.equals("bogomips") && clockFrom.startsWith("assumed")) {
                    ghz = Double.parseDouble(v) / 2000; // x86 BogoMIPS = 2 x the TSC clock in MHz
                    clockFrom = String.format(Locale.ROOT, "%.2f GHz from BogoMIPS / 2 (the TSC clock; boost unknown)", ghz);
                }
                if (k.equals("flags")) {
                    List<String> flags = List.of(v.split("\\s+"));
                    avx512 = flags.contains("avx512f");
                    vnni = flags.contains("avx512_vnni") || flags.contains("avx_vnni");
                    avx2 = flags.contains("avx2");
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep the assumed figures; the description says so
        }
        int lanes = avx512 ? 16 : avx2 ? 8 : 4;
        double fp32 = cores * ghz * 1e9 * 2 * lanes * 2;
        double int8 = vnni ? cores * ghz * 1e9 * 2 * lanes * 4 * 2 : 2 * fp32;
        List<String> how = new ArrayList<>();
        how.add(model + ", " + cores + " cores, " + clockFrom);
        how.add(String.format(Locale.ROOT, "FP32 %.0f GFLOP/s = %d cores x %.2f GHz x 2 FMA pipes x %d lanes x 2", fp32 / 1e9, cores, ghz, lanes));
        how.add(vnni ? String.format(Locale.ROOT, "int8 %.0f GOPS = %d x %.2f GHz x 2 VPDPBUSD/cycle (assumed) x %d lanes x 4 MACs x 2",
                int8 / 1e9, cores, ghz, lanes) : String.format(Locale.ROOT, "int8 %.0f GOPS (no VNNI: 2 x FP32)", int8 / 1e9));
        how.add("38.4 GB/s and 5 W per core assumed");
        return new DeviceProfile("cpu", "this CPU: " + model + " x" + cores, int8, 0, fp32, fp32, 38.4e9, 5.0 * cores,
                "derived here: " + String.join("; ", how));
    }

    /** The profile of a --device name. */
    public static DeviceProfile named(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "generic-45nm" -> generic45nm();
            case "cpu" -> cpu();
            case "sm_80", "a100" -> sm80();
            case "sm_89", "l40s" -> sm89();
            case "sm_90", "h100" -> sm90();
            default -> throw new IllegalArgumentException("unknown device '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    /** Peak operations per second at a precision: int4 where both widths are <= 4 and the device has it, else int8, else FP32. */
    public double peakOps(EnergyModel.Precision p) {
        if (!p.isInteger()) return fp32Ops;
        if (p.weightBits() <= 4 && p.activationBits() <= 4 && int4Ops > 0) return int4Ops;
        if (p.weightBits() <= 8 && p.activationBits() <= 8) return int8Ops;
        return fp16Ops; // 9..16-bit integers: no int path; priced as FP16 tensor math
    }

    /** A roofline estimate of one inference. */
    public record Roofline(String device, double seconds, double computeSeconds, double memorySeconds, String bound,
                           double microjoules, String energyFrom) {
    }

    /** The roofline of {@code e} (its MACs and DRAM bytes) on this device. */
    public Roofline roofline(EnergyModel.Estimate e) {
        double compute = 2.0 * e.macs() / peakOps(e.precision());
        double memory = e.dramBytes() / bytesPerSecond;
        double t = Math.max(compute, memory);
        boolean fromTable = watts == null;
        double uj = fromTable ? e.microjoules() : t * watts * 1e6;
        return new Roofline(name, t, compute, memory, compute >= memory ? "compute" : "memory", uj,
                fromTable ? "energy model (" + e.source() + ")" : String.format(Locale.ROOT, "time x %.0f W", watts));
    }
}
