package org.edgeq.cli;

import org.edgeq.study.ModelChoice;
import org.edgeq.backend.Backend;
import org.edgeq.data.Task;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.nn.ModelConfig;
import org.edgeq.study.CellRunner;
import org.edgeq.study.CompressionRun;
import org.edgeq.study.ModelUnderStudy;
import org.edgeq.study.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code edgeq distill}: trains a smaller student on a trained teacher's softened outputs plus the labels. */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Knowledge distillation (Hinton et al. 2015): train a fresh student model on the teacher's training split "
                        + "with the loss alpha * T^2 * KL(teacher/T || student/T) + (1 - alpha) * cross-entropy, then measure "
                        + "it on the teacher's own split, after a first row for the teacher itself (method fp32). With "
                        + "--qat-bits the student trains with fake-quantized weights (a quantized student) and is exported with integer weights. Classification only.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq distill --teacher runs/tel-big --student dense-simple --epochs 10",
                "  edgeq distill --teacher runs/fm --student dense --hidden 64 --temperature 4 --alpha 0.7 --qat-bits 8",
                "",
                "Results go to --csv (default: results.csv in --out, else in the current directory); "
                        + "--out DIR keeps the student's export in DIR/distill-<student>[-w<bits>]/."})
final class DistillCommand extends CompressionCommand {

    @Option(names = "--teacher", paramLabel = "DIR", required = true, description = "Trained teacher model directory ('edgeq train --out DIR').")
    Path teacherDir;

    @Option(names = "--student", paramLabel = "MODEL", required = true, description = "Student architecture: ${COMPLETION-CANDIDATES}.")
    ModelChoice student;

    @Option(names = "--hidden", paramLabel = "N", split = ",", converter = Ranges.HiddenWidth.class, description = "Hidden widths of --student dense (default: 64,32).")
    List<Integer> hidden;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "4", converter = Ranges.Temperature.class, description = "Softmax temperature, in (0, 1000] (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.7", converter = Ranges.Weight.class, description = "Weight of the soft-target term, in [0, 1] (default: ${DEFAULT-VALUE}).")
    float alpha;

    @Option(names = "--qat-bits", paramLabel = "N", converter = Ranges.GridBits.class, description = "Train the student with fake-quantized N-bit weights, 2..16 (default: full precision).")
    Integer qatBits;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", converter = Ranges.Epochs.class, description = "Student training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Mixin
    StudyTrainingOptions training;

    @Mixin
    StudyOutputOptions output;

    @Override
    Integer run(PrintWriter stdout, PrintWriter err) throws IOException {
        Variant.Distill variant = new Variant.Distill(student.cliName(), hidden, temperature, alpha, qatBits,
                new Variant.Training(epochs, training.lr, training.trainBatchSize));
        output.checkOut(List.of(variant.dirName()));
        ModelUnderStudy teacherStudy = ModelUnderStudy.open("--teacher", teacherDir, common.dataDir);
        if (teacherStudy.all.task() != Task.CLASSIFICATION) {
            throw new UsageException("--teacher " + teacherDir + ": distillation needs a classification model, this one is " + teacherStudy.all.task());
        }
        ModelConfig studentConfig = student.config(teacherStudy.all.featureShape(), teacherStudy.all.numClasses(), hidden, null);
        CommandRun command = output.open(teacherStudy, common, stdout, err);
        CompressionRun run = command.rows();
        CellRunner.Distilled distilled;
        try (command; Backend backend = BackendSelection.open(common, err)) { // command: holds --out and --csv until the rows are written
            run.start(EnergyMeters.forBackend(backend.name(), output.energy.options()));
            CellRunner rows = new CellRunner(run, backend, common.seed, output.energy.options().grid(), err).withEpochBars();
            rows.baseline();
            distilled = rows.distill(variant, studentConfig);
        }
        command.finish(new JsonLine().put("command", "distill").put("teacher", teacherDir.toString())
                .put("teacher_model", teacherStudy.modelName()).put("student", student.cliName())
                .put("teacher_parameters", distilled.teacherParameters()).put("student_parameters", distilled.studentParameters())
                .put("teacher_test_acc", teacherStudy.description.training().metrics().get("test_acc"))
                .put("temperature", temperature).put("alpha", alpha).put("epochs", epochs));
        return ExitCodes.OK;
    }
}
