package org.edgeq.export;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.AtomicFiles;
import org.edgeq.checkpoint.CheckpointFormatException;
import org.edgeq.checkpoint.IoErrors;
import org.edgeq.data.BoundedInput;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The compressed model file ({@code model.eqz}), version 2: 8 magic bytes {@code EDGEQZ02}, an 8-byte little-endian
 * header length N, N bytes of compact JSON (format, version, the architecture as a {@link ModelConfig}, string
 * metadata, and per tensor its name, shape, encoding, layout, bits, groups, codebook size, stored count and
 * [begin, end) byte range), the tensors' data back to back as {@link EncodedTensor} describes, and last a 4-byte
 * little-endian CRC-32 of every byte before it, so an edited header is refused like corrupt data. Version 1
 * ({@code EDGEQZ01}, whose CRC covered the data only) is refused with a line saying to export again.
 * The file's size is the model's size: nothing else is needed to rebuild the model and its weights.
 */
public final class CompressedModelFile {
    public static final String FILE_NAME = "model.eqz";
    static final byte[] MAGIC = "EDGEQZ02".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MAGIC_V1 = "EDGEQZ01".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    static final int TRAILER_BYTES = 4;
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final Set<String> TENSOR_FIELDS = Set.of("name", "shape", "encoding", "layout", "bits", "groups",
            "codebook_size", "nonzeros", "offsets");
    private static final Set<String> ROOT_FIELDS = Set.of("format", "version", "config", "metadata", "tensors");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private CompressedModelFile() {
    }

    /** A read and validated file: the architecture, metadata and every tensor's encoded form (not yet decoded). */
    public record Contents(Path file, ModelConfig config, Map<String, String> metadata, List<EncodedTensor> tensors) {

        /** Every tensor decoded, by name in file order. */
        public Map<String, float[]> decodeAll() throws CheckpointFormatException {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (EncodedTensor t : tensors) {
                try {
                    out.put(t.name(), TensorDecoder.decode(t));
                } catch (IllegalArgumentException e) {
                    throw new CheckpointFormatException(file, e.getMessage());
                }
            }
            return out;
        }

        /**
         * Decodes every tensor and copies them into {@code targets} (a freshly built model's state dict); names and
         * shapes must match exactly, which is checked, and everything decoded, before the first target is written.
         */
        public void loadInto(Map<String, Tensor> targets) throws CheckpointFormatException {
            loadInto(targets, null);
        }

        /** As {@link #loadInto(Map)} for targets on {@code backend} (device tensors are uploaded; null: host targets only). */
        public void loadInto(Map<String, Tensor> targets, Backend backend) throws CheckpointFormatException {
            Map<String, EncodedTensor> byName = new LinkedHashMap<>();
            for (EncodedTensor t : tensors) byName.put(t.name(), t);
            for (var e : targets.entrySet()) {
                EncodedTensor t = byName.get(e.getKey());
                Tensor target = e.getValue();
                if (t == null) throw new CheckpointFormatException(file, "the model has tensor '" + e.getKey() + "' " + target.shape() + " which the file lacks");
                if (target.dtype() != DType.F32 || !Arrays.equals(t.shape(), target.shape().dims())) {
                    throw new CheckpointFormatException(file, "tensor '" + t.name() + "' is " + Arrays.toString(t.shape())
                            + " in the file but the model expects " + target.dtype() + target.shape());
                }
            }
            for (EncodedTensor t : tensors) {
                if (!targets.containsKey(t.name())) {
                    throw new CheckpointFormatException(file, "the file holds tensor '" + t.name() + "' which the model does not have");
                }
            }
            Map<String, float[]> decoded = decodeAll();
            decoded.forEach((name, values) -> {
                Tensor target = targets.get(name);
                if (target.isHost() || backend == null) target.copyFrom(values);
                else backend.upload(values, target);
            });
        }
    }

    /** Encodes every tensor of {@code model}'s state dict, using affine codes where given (keyed by tensor name) and exact. */
    public static List<EncodedTensor> encode(Model model, Map<String, AffineCodes> affine) {
        List<EncodedTensor> out = new ArrayList<>();
        for (var e : model.stateDict().entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != DType.F32) throw new IllegalArgumentException("tensor '" + e.getKey() + "' is " + t.dtype() + "; only F32 models export");
            float[] values = new float[Math.toIntExact(t.numel())];
            model.backend().download(t, values); // the state may live on a device
            out.add(TensorEncoder.encode(e.getKey(), t.shape().dims(), values, affine == null ? null : affine.get(e.getKey())));
        }
        return out;
    }

    /** The complete file content. */
    public static byte[] bytes(ModelConfig config, Map<String, String> metadata, List<EncodedTensor> tensors) {
        long dataSize = 0;
        for (EncodedTensor t : tensors) dataSize += t.data().length;
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "edgeq-compressed-model");
        root.put("version", VERSION);
        root.set("config", JSON.valueToTree(config));
        ObjectNode meta = root.putObject("metadata");
        if (metadata != null) metadata.forEach(meta::put);
        ArrayNode list = root.putArray("tensors");
        long offset = 0;
        Set<String> names = new HashSet<>();
        for (EncodedTensor t : tensors) {
            if (!names.add(t.name())) throw new IllegalArgumentException("tensor '" + t.name() + "' appears twice");
            ObjectNode o = list.addObject();
            o.put("name", t.name());
            ArrayNode shape = o.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            o.put("encoding", t.encoding().wireName());
            o.put("layout", t.layout().wireName());
            o.put("bits", t.bits());
            o.put("groups", t.groups());
            o.put("codebook_size", t.codebookSize());
            o.put("nonzeros", t.nonzeros());
            o.putArray("offsets").add(offset).add(offset + t.data().length);
            offset += t.data().length;
        }
        byte[] header;
        try {
            header = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the header", e);
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(16 + header.length + dataSize + TRAILER_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putLong(header.length).put(header);
        for (EncodedTensor t : tensors) out.put(t.data());
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /** Writes the file atomically and returns its size in bytes. */
    public static long write(Path file, ModelConfig config, Map<String, String> metadata, List<EncodedTensor> tensors) throws IOException {
        byte[] content = bytes(config, metadata, tensors);
        try {
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw IoErrors.naming(file, e);
        }
        return content.length;
    }

    /** Reads and validates the whole file; a truncated, corrupt or inconsistent one is refused with one line. */
    public static Contents read(Path file) throws IOException {
        byte[] all;
        try {
            all = BoundedInput.readAllBytes(file, BoundedInput.MODEL_FILE_CAP, reason -> new CheckpointFormatException(file, reason));
        } catch (NoSuchFileException e) {
            throw new CheckpointFormatException(file, "missing");
        }
        if (all.length >= 8 && Arrays.equals(all, 0, 8, MAGIC_V1, 0, 8)) {
            throw new CheckpointFormatException(file, "is a version-1 compressed model (EDGEQZ01, header outside its checksum); "
                    + "this EdgeQ reads version " + VERSION + " only: export it again (edgeq quantize/prune/qat/distill --out)");
        }
        if (all.length < 16 + TRAILER_BYTES) throw new CheckpointFormatException(file, "file is " + all.length + " bytes, too short for a compressed model (truncated?)");
        if (!Arrays.equals(all, 0, 8, MAGIC, 0, 8)) throw new CheckpointFormatException(file, "does not start with EDGEQZ02; not a compressed EdgeQ model");
        int end = all.length - TRAILER_BYTES;
        CRC32 crc = new CRC32();
        crc.update(all, 0, end);
        long stored = ByteBuffer.wrap(all, end, TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
        if (stored != crc.getValue()) {
            throw new CheckpointFormatException(file, "checksum " + Long.toHexString(crc.getValue()) + " of header and data does not match the stored "
                    + Long.toHexString(stored) + " (corrupt, edited or truncated)");
        }
        long headerLength = ByteBuffer.wrap(all, 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(file, "header length " + Long.toUnsignedString(headerLength) + " is absurd (corrupt)");
        }
        if (headerLength > end - 16) {
            throw new CheckpointFormatException(file, "header length " + headerLength + " exceeds the " + (end - 16) + " bytes after it (truncated?)");
        }
        int dataStart = 16 + (int) headerLength;
        JsonNode root;
        try {
            root = JSON.readTree(Arrays.copyOfRange(all, 16, dataStart));
        } catch (IOException e) {
            throw new CheckpointFormatException(file, "header is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) throw new CheckpointFormatException(file, "header is not a JSON object");
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ROOT_FIELDS.contains(f)) throw new CheckpointFormatException(file, "unexpected header field '" + f + "'");
        }
        if (!"edgeq-compressed-model".equals(text(root, "format"))) throw new CheckpointFormatException(file, "header format is not edgeq-compressed-model");
        if (!root.path("version").isInt() || root.get("version").intValue() != VERSION) {
            throw new CheckpointFormatException(file, "version " + root.path("version") + " is not supported (this EdgeQ reads " + VERSION + ")");
        }
        ModelConfig config;
        try {
            config = JSON.treeToValue(root.path("config"), ModelConfig.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "config is not a model config: " + firstLine(e.getMessage()));
        }
        if (config == null || config.architecture() == null || config.inputShape() == null) {
            throw new CheckpointFormatException(file, "config needs architecture and input_shape");
        }
        Map<String, Shape> expected;
        try {
            expected = ModelFactory.stateShapes(config); // sizes checked from shapes, nothing allocated
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "config does not describe a model EdgeQ builds: " + e.getMessage());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.path("metadata");
        if (!meta.isObject()) throw new CheckpointFormatException(file, "metadata is not a JSON object");
        for (var it = meta.properties().iterator(); it.hasNext(); ) {
            var kv = it.next();
            if (!kv.getValue().isTextual()) throw new CheckpointFormatException(file, "metadata value of '" + kv.getKey() + "' is not a string");
            metadata.put(kv.getKey(), kv.getValue().textValue());
        }
        long dataSize = end - dataStart;
        JsonNode list = root.path("tensors");
        if (!list.isArray()) throw new CheckpointFormatException(file, "tensors is not an array");
        List<EncodedTensor> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long expectedOffset = 0;
        for (JsonNode o : list) {
            EncodedTensor t = tensor(file, o, all, dataStart, expectedOffset, dataSize, expected);
            if (!names.add(t.name())) throw new CheckpointFormatException(file, "tensor '" + t.name() + "' appears twice");
            expectedOffset += t.data().length;
            tensors.add(t);
        }
        for (String name : expected.keySet()) {
            if (!names.contains(name)) throw new CheckpointFormatException(file, "the model has tensor '" + name + "' " + expected.get(name) + " which the file lacks");
        }
        if (expectedOffset != dataSize) {
            throw new CheckpointFormatException(file, (dataSize - expectedOffset) + " bytes of trailing data after the last tensor");
        }
        return new Contents(file, config, metadata, List.copyOf(tensors));
    }

    private static EncodedTensor tensor(Path file, JsonNode o, byte[] all, int dataStart, long expectedBegin, long dataSize,
                                        Map<String, Shape> architecture) throws CheckpointFormatException {
        if (!o.isObject()) throw new CheckpointFormatException(file, "tensor entry is not a JSON object");
        String name = text(o, "name");
        if (name == null || name.isEmpty()) throw new CheckpointFormatException(file, "tensor entry without a name");
        String where = "tensor '" + name + "': ";
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TENSOR_FIELDS.contains(f)) throw new CheckpointFormatException(file, where + "unexpected field '" + f + "'");
        }
        JsonNode shapeNode = o.path("shape");
        if (!shapeNode.isArray()) throw new CheckpointFormatException(file, where + "shape is not an array");
        int[] shape = new int[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isInt() || d.intValue() < 0) throw new CheckpointFormatException(file, where + "shape entry " + d + " is not a non-negative int");
            shape[i] = d.intValue();
            numel *= shape[i];
            if (numel > Integer.MAX_VALUE) throw new CheckpointFormatException(file, where + "shape " + shapeNode + " is too large");
        }
        Shape wanted = architecture.get(name);
        if (wanted == null) throw new CheckpointFormatException(file, "the file holds tensor '" + name + "' which the model does not have");
        if (!Arrays.equals(wanted.dims(), shape)) {
            throw new CheckpointFormatException(file, "tensor '" + name + "' is " + Arrays.toString(shape) + " in the file but the model expects " + wanted);
        }
        TensorEncoding encoding;
        TensorLayout layout;
        try {
            encoding = TensorEncoding.fromWireName(text(o, "encoding"));
            layout = TensorLayout.fromWireName(text(o, "layout"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, where + e.getMessage());
        }
        int bits = intField(file, where, o, "bits");
        int groups = intField(file, where, o, "groups");
        int codebookSize = intField(file, where, o, "codebook_size");
        JsonNode nzNode = o.path("nonzeros");
        if (!nzNode.canConvertToLong() || !nzNode.isIntegralNumber()) throw new CheckpointFormatException(file, where + "nonzeros is not an integer");
        long nonzeros = nzNode.longValue();
        if (encoding == TensorEncoding.F32 ? bits != 0 : bits < BitPacker.MIN_WIDTH || bits > BitPacker.MAX_WIDTH) {
            throw new CheckpointFormatException(file, where + "bits " + bits + " does not fit encoding " + encoding.wireName());
        }
        if (groups < 1 || (numel > 0 && numel % groups != 0) || (numel == 0 && groups != 1)) {
            throw new CheckpointFormatException(file, where + "groups " + groups + " do not divide its " + numel + " elements");
        }
        if (encoding == TensorEncoding.CODEBOOK ? codebookSize < 0 || codebookSize > 1 << bits : codebookSize != 0) {
            throw new CheckpointFormatException(file, where + "codebook_size " + codebookSize + " does not fit " + bits + "-bit " + encoding.wireName());
        }
        if (layout == TensorLayout.DENSE ? nonzeros != numel : nonzeros < 0 || nonzeros > numel) {
            throw new CheckpointFormatException(file, where + "nonzeros " + nonzeros + " does not fit " + numel + " elements in layout " + layout.wireName());
        }
        JsonNode offsets = o.path("offsets");
        if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
            throw new CheckpointFormatException(file, where + "offsets is not a [begin, end] pair of integers");
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin != expectedBegin) throw new CheckpointFormatException(file, where + "begins at " + begin + ", expected " + expectedBegin + " (gap or overlap)");
        if (end < begin || end > dataSize) {
            throw new CheckpointFormatException(file, where + "offsets " + offsets + " run past the " + dataSize + "-byte data section (truncated?)");
        }
        long expected = EncodedTensor.expectedBytes(numel, encoding, layout, bits, groups, codebookSize, nonzeros);
        if (end - begin != expected) {
            throw new CheckpointFormatException(file, where + "holds " + (end - begin) + " bytes but " + encoding.wireName() + "/"
                    + layout.wireName() + " of " + Arrays.toString(shape) + " needs " + expected);
        }
        byte[] data = Arrays.copyOfRange(all, dataStart + (int) begin, dataStart + (int) end);
        return new EncodedTensor(name, shape, encoding, layout, bits, groups, codebookSize, nonzeros, data);
    }

    private static int intField(Path file, String where, JsonNode o, String field) throws CheckpointFormatException {
        JsonNode n = o.path(field);
        if (!n.isInt()) throw new CheckpointFormatException(file, where + field + " is not an int");
        return n.intValue();
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
