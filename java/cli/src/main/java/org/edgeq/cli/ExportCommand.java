package org.edgeq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.checkpoint.AtomicFiles;
import org.edgeq.onnx.ExportableModel;
import org.edgeq.onnx.SafetensorsExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgeq export}: writes a saved or compressed model as ONNX or safetensors for other tools. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Write a model directory (a trained model from 'edgeq train --out DIR', or a row folder of "
                        + "'edgeq quantize/qat/prune --out' holding model.eqz) in a format other tools read. The model is "
                        + "read and validated completely first; on any error nothing is written. The file is written atomically.",
                "",
                "Formats:",
                "  onnx                ONNX model (opset 13, NCHW). Input 'input' [N, features...] takes raw rows: the "
                        + "training standardisation is inside the graph (Sub, Mul). Output 'output' holds the logits "
                        + "(classification) or the prediction in the target's own units (regression: the graph ends by undoing "
                        + "the training's target standardisation, Mul by its std, Add its mean). Quantized models are QDQ: "
                        + "8-bit affine weights as int8 + DequantizeLinear (per channel, "
                        + "axis 0, or per tensor), 8-bit asymmetric activations as uint8 QuantizeLinear/DequantizeLinear "
                        + "before each Linear/Conv; 2-7-bit and codebook (landmark) weights as their dequantized FP32 values, "
                        + "other activation grids as EdgeQ's fake-quantize formula in float ops. metadata_props "
                        + "edgeq.quant.<tensor> says what each quantized tensor was.",
                "  safetensors         Every state tensor as FP32, PyTorch names (quantized weights dequantized): what "
                        + "model.safetensors of 'edgeq train' holds.",
                "  safetensors-packed  Quantized weights as integer codes (U8 up to 8 bits, I32 above), the rest FP32; "
                        + "each quantized tensor's scale/zero_point (affine) or codebook, bits and axis as JSON in "
                        + "__metadata__ under its name. See docs/interop.md for the few lines of Python that read each.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq export --model runs/tel --format onnx --out tel.onnx",
                "  edgeq export --model runs/fm-qat/qat-w8a8 --format onnx --out fm-w8a8.onnx",
                "  edgeq export --model runs/fm-q/rounding-uniform-4bit --format safetensors-packed --out fm-4bit.safetensors"})
final class ExportCommand implements Callable<Integer> {

    /** What {@code --format} writes. */
    enum Format {
        ONNX, SAFETENSORS, SAFETENSORS_PACKED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** --format by its command-line name, refused with the names --help lists. */
    static final class FormatName implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return new EnumByName<>(Format.class).convert(value);
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Model directory: 'edgeq train --out DIR', or a compression command's row folder (model.eqz).")
    Path modelDir;

    @Option(names = "--format", paramLabel = "NAME", required = true, converter = FormatName.class,
            description = "Output format: ${COMPLETION-CANDIDATES}.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "File to write (replaced atomically if it exists).")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (Files.isDirectory(out)) throw new UsageException("--out " + out + " is a directory; name the file to write");
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new UsageException("--out " + out + ": directory " + parent + " does not exist");
        // Host tensors throughout: the exporters read the weights, and nothing here is worth a device.
        try (CpuBackend backend = new CpuBackend(1); ExportableModel m = ExportableModel.open(modelDir, backend)) {
            switch (format) {
                case ONNX -> AtomicFiles.write(out, m.onnx().build().toByteArray());
                case SAFETENSORS -> SafetensorsExport.writeDequantized(out, m);
                case SAFETENSORS_PACKED -> SafetensorsExport.writePacked(out, m);
            }
            stdout.printf(Locale.ROOT, "%s (%s, %s) -> %s (%s, %,d bytes)%n", modelDir, m.model().config().architecture(),
                    m.codes().isEmpty() ? "FP32" : m.codes().size() + " quantized tensors"
                            + (m.activations().isEmpty() ? "" : ", quantized activations"),
                    out, format, Files.size(out));
        }
        return ExitCodes.OK;
    }
}
