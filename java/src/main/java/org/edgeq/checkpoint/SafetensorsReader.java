package org.edgeq.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.edgeq.data.BoundedInput;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated safetensors file: {@link #open} reads and checks the whole header against the file's size before
 * anything is loaded, and {@link #loadInto} checks every target tensor and reads all the data before it copies
 * into any of them, so a bad file is refused with a one-line {@link CheckpointFormatException} and never half-loads.
 */
public final class SafetensorsReader {

    /** The safetensors reference implementation's limit; a larger header means a corrupt length field. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Path file;
    private final long fileSize;
    private final long dataStart;
    private final List<TensorEntry> entries;
    private final Map<String, TensorEntry> byName;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path file, long fileSize, long dataStart, List<TensorEntry> entries, Map<String, String> metadata) {
        this.file = file;
        this.fileSize = fileSize;
        this.dataStart = dataStart;
        this.entries = List.copyOf(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
        Map<String, TensorEntry> m = new LinkedHashMap<>();
        for (TensorEntry e : entries) m.put(e.name(), e);
        this.byName = Collections.unmodifiableMap(m);
    }

    /** Reads and validates the header of {@code file}; the tensor data is not read yet. */
    public static SafetensorsReader open(Path file) throws IOException {
        SafetensorsWriter.requireLittleEndianHost();
        BoundedInput.check(file, Long.MAX_VALUE, reason -> new CheckpointFormatException(file, reason)); // devices, FIFOs: refused unopened
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointFormatException(file, "file is " + size + " bytes, too short for the 8-byte header length (truncated?)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lengthBytes, 0, file);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " is absurd (limit " + MAX_HEADER_BYTES + "); not a safetensors file or corrupt");
            }
            if (headerLength > size - 8) {
                throw new CheckpointFormatException(file, "header length " + headerLength + " exceeds the "
                        + (size - 8) + " bytes after the length field (truncated?)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBytes, 8, file);
            return parse(file, size, headerBytes.array());
        }
    }

    private static SafetensorsReader parse(Path file, long fileSize, byte[] header) throws CheckpointFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(file, "header is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new CheckpointFormatException(file, "header is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointFormatException(file, "header is not a JSON object");
        }
        long dataStart = 8L + header.length;
        long dataSize = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorEntry> entries = new ArrayList<>();
        for (var it = root.properties().iterator(); it.hasNext(); ) {
            var field = it.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals(SafetensorsWriter.METADATA_KEY)) {
                if (!node.isObject()) throw new CheckpointFormatException(file, "__metadata__ is not a JSON object");
                for (var m = node.properties().iterator(); m.hasNext(); ) {
                    var kv = m.next();
                    if (!kv.getValue().isTextual()) {
                        throw new CheckpointFormatException(file, "__metadata__ value of '" + kv.getKey() + "' is not a string");
                    }
                    metadata.put(kv.getKey(), kv.getValue().textValue());
                }
                continue;
            }
            entries.add(entry(file, name, node, dataSize));
        }
        checkCoverage(file, entries, dataSize);
        return new SafetensorsReader(file, fileSize, dataStart, entries, metadata);
    }

    private static TensorEntry entry(Path file, String name, JsonNode node, long dataSize) throws CheckpointFormatException {
        String where = "tensor '" + name + "': ";
        if (!node.isObject()) throw new CheckpointFormatException(file, where + "entry is not a JSON object");
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ENTRY_FIELDS.contains(f)) throw new CheckpointFormatException(file, where + "unexpected field '" + f + "'");
        }
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || offsetsNode == null) {
            throw new CheckpointFormatException(file, where + "needs dtype, shape and data_offsets");
        }
        if (!dtypeNode.isTextual()) throw new CheckpointFormatException(file, where + "dtype is not a string");
        DType dtype;
        try {
            dtype = DType.fromSafetensorsName(dtypeNode.textValue());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, where + e.getMessage());
        }
        if (!shapeNode.isArray()) throw new CheckpointFormatException(file, where + "shape is not an array");
        int[] dims = new int[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw new CheckpointFormatException(file, where + "shape entry " + i + " (" + d + ") is not a non-negative int");
            }
            dims[i] = d.intValue();
        }
        Shape shape;
        long expectedBytes;
        try {
            shape = Shape.of(dims);
            expectedBytes = Math.multiplyExact(shape.numel(), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(file, where + "shape " + shapeNode + " is too large");
        }
        if (!offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw new CheckpointFormatException(file, where + "data_offsets is not a [begin, end] pair");
        }
        for (JsonNode o : offsetsNode) {
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw new CheckpointFormatException(file, where + "data_offsets " + offsetsNode + " are not non-negative integers");
            }
        }
        long begin = offsetsNode.get(0).longValue();
        long end = offsetsNode.get(1).longValue();
        if (end < begin) throw new CheckpointFormatException(file, where + "data_offsets " + offsetsNode + " end before they begin");
        if (end > dataSize) {
            throw new CheckpointFormatException(file, where + "data_offsets " + offsetsNode + " run past the "
                    + dataSize + "-byte data section (truncated?)");
        }
        if (end - begin != expectedBytes) {
            throw new CheckpointFormatException(file, where + "data_offsets " + offsetsNode + " hold " + (end - begin)
                    + " bytes but " + dtype + shape + " needs " + expectedBytes);
        }
        return new TensorEntry(name, dtype, shape, begin, end);
    }

    /** The tensors must tile the data section exactly: no overlap, no gap, nothing after the last one. */
    private static void checkCoverage(Path file, List<TensorEntry> entries, long dataSize) throws CheckpointFormatException {
        List<TensorEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long expected = 0;
        TensorEntry previous = null;
        for (TensorEntry e : sorted) {
            if (e.begin() < expected) {
                throw new CheckpointFormatException(file, "tensor '" + e.name() + "' [" + e.begin() + ", " + e.end()
                        + ") overlaps tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end() + ")");
            }
            if (e.begin() > expected) {
                throw new CheckpointFormatException(file, "gap of " + (e.begin() - expected) + " bytes before tensor '"
                        + e.name() + "' at data offset " + expected);
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataSize) {
            throw new CheckpointFormatException(file, (dataSize - expected) + " bytes of trailing data after the last tensor");
        }
    }

    public Path file() {
        return file;
    }

    /** Entries in header order. */
    public List<TensorEntry> entries() {
        return entries;
    }

    public Optional<TensorEntry> entry(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Checks the header against the tensors an architecture has ({@code expected}: name to shape, as
     * {@link org.edgeq.nn.ModelFactory#stateShapes} plans them), so a mismatch is refused before any model is built.
     */
    public void requireShapes(Map<String, Shape> expected) throws CheckpointFormatException {
        for (var t : expected.entrySet()) {
            TensorEntry e = byName.get(t.getKey());
            if (e == null) {
                throw new CheckpointFormatException(file, "the model has tensor '" + t.getKey() + "' (" + DType.F32
                        + t.getValue() + ") which the file lacks");
            }
            if (!e.shape().equals(t.getValue())) {
                throw new CheckpointFormatException(file, "tensor '" + e.name() + "' is " + e.describe()
                        + " in the file but the model expects " + DType.F32 + t.getValue());
            }
        }
        for (TensorEntry e : entries) {
            if (!expected.containsKey(e.name())) {
                throw new CheckpointFormatException(file, "the file holds tensor '" + e.name() + "' (" + e.describe()
                        + ") which the model does not have");
            }
        }
    }

    /**
     * Copies the file's tensors into {@code targets} (host tensors, e.g. a model's state dict). The names must match
     * exactly, every shape and dtype must agree and every F32 value must be finite; all of that is checked, and all
     * data read, before the first target is written.
     */
    public void loadInto(Map<String, Tensor> targets) throws IOException {
        copyInto(targets, true);
    }

    private void copyInto(Map<String, Tensor> targets, boolean weights) throws IOException {
        for (var t : targets.entrySet()) {
            TensorEntry e = byName.get(t.getKey());
            Tensor target = t.getValue();
            if (e == null) {
                throw new CheckpointFormatException(file, "the model has tensor '" + t.getKey() + "' (" + target.dtype()
                        + target.shape() + ") which the file lacks");
            }
            if (e.dtype() != target.dtype() || !e.shape().equals(target.shape())) {
                throw new CheckpointFormatException(file, "tensor '" + e.name() + "' is " + e.describe()
                        + " in the file but the model expects " + target.dtype() + target.shape());
            }
            if (!target.isHost()) {
                throw new IllegalArgumentException("tensor '" + t.getKey() + "' lives on a device; load into host tensors and upload");
            }
        }
        for (TensorEntry e : entries) {
            if (!targets.containsKey(e.name())) {
                throw new CheckpointFormatException(file, "the file holds tensor '" + e.name() + "' (" + e.describe()
                        + ") which the model does not have");
            }
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment data = readData(scratch);
            if (weights) for (TensorEntry e : entries) requireFinite(data, e);
            for (TensorEntry e : entries) {
                MemorySegment.copy(data, e.begin(), targets.get(e.name()).segment(), 0, e.byteSize());
            }
        }
    }

    /**
     * Streams through the data section (1 MiB at a time, nothing else allocated) and refuses the first NaN or
     * infinite F32 value, naming its tensor and element: what a model directory's reader runs before any output.
     */
    public void requireFiniteWeights() throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (TensorEntry e : entries) {
                if (e.dtype() != DType.F32) continue;
                long index = 0;
                for (long pos = e.begin(); pos < e.end(); ) {
                    int n = (int) Math.min(chunk.capacity(), e.end() - pos);
                    chunk.clear().limit(n);
                    readFully(ch, chunk, dataStart + pos, file);
                    chunk.flip();
                    while (chunk.remaining() >= 4) {
                        float v = chunk.getFloat();
                        if (!Float.isFinite(v)) {
                            throw new CheckpointFormatException(file, "tensor '" + e.name() + "' element " + index + " is " + v + " (weights must be finite)");
                        }
                        index++;
                    }
                    pos += n;
                }
            }
        }
    }

    /** A NaN or infinite weight would only surface later as a NaN loss; refuse it at load, naming the element. */
    private void requireFinite(MemorySegment data, TensorEntry e) throws CheckpointFormatException {
        if (e.dtype() != DType.F32) return;
        long n = e.byteSize() / 4;
        for (long i = 0; i < n; i++) {
            float v = data.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), e.begin() + 4 * i);
            if (!Float.isFinite(v)) {
                throw new CheckpointFormatException(file, "tensor '" + e.name() + "' element " + i + " is " + v + " (weights must be finite)");
            }
        }
    }

    /** Reads every tensor into new host tensors owned by {@code scope}, in header order. */
    public Map<String, Tensor> readAll(TensorScope scope) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorEntry e : entries) out.put(e.name(), Tensor.host(scope, e.dtype(), e.shape().dims()));
        copyInto(out, false); // any tensors, bit for bit (NaN payloads included); model weights go through loadInto
        return out;
    }

    /** The whole data section, read into memory so that a file changed since {@link #open} cannot half-load. */
    private MemorySegment readData(Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != fileSize) {
                throw new CheckpointFormatException(file, "file changed size from " + fileSize + " to " + ch.size() + " bytes while loading");
            }
            long dataSize = fileSize - dataStart;
            MemorySegment data = arena.allocate(Math.max(dataSize, 1), 64);
            long chunk = 1L << 30;
            for (long pos = 0; pos < dataSize; pos += chunk) {
                long n = Math.min(chunk, dataSize - pos);
                readFully(ch, data.asSlice(pos, n).asByteBuffer(), dataStart + pos, file);
            }
            return data;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buffer, long position, Path file) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, pos);
            if (n < 0) throw new CheckpointFormatException(file, "unexpected end of file at byte " + pos + " (truncated?)");
            pos += n;
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
