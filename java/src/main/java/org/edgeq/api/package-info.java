/**
 * EdgeQ as a library: the small public facade an outside program uses, without the command line.
 *
 * <ul>
 *   <li>{@link org.edgeq.api.EdgeQ#load(java.nio.file.Path)} opens a model folder (written by {@code edgeq train
 *       --out}, or a compressed export with {@code model.eqz}) as a {@link org.edgeq.api.EdgeQModel} whose
 *       {@code predict} takes raw feature rows and applies the model's saved standardisation itself;</li>
 *   <li>{@link org.edgeq.api.Quantize#with(String, int)} quantizes a model folder's weights after training and keeps
 *       the result as a new model folder, through the same code as {@code edgeq quantize};</li>
 *   <li>{@link org.edgeq.api.Study#defaults()} and {@link org.edgeq.api.Study#fromFile(java.nio.file.Path)} run a
 *       compression study, as {@code edgeq study} does (the same cells, results files and report, resumed when run
 *       again into the same folder), and return a {@link org.edgeq.api.StudyOutcome} with its rows.</li>
 * </ul>
 *
 * <p>The JVM needs one option, {@code --add-modules jdk.incubator.vector} (the CPU backend's SIMD code uses the
 * incubating Vector API, and no jar manifest can add a module); {@link org.edgeq.api.EdgeQ#load} fails with a message
 * naming it where it is missing (as do {@code Quantize.apply} and {@code Study.run}). {@code --enable-native-access=ALL-UNNAMED} silences the JDK's warning when the native
 * helper libraries load. A complete project that depends on the installed artifact: {@code examples/predict}.
 */
package org.edgeq.api;
