package org.edgeq.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.edgeq.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes tensors in the safetensors format (the format PyTorch's {@code safetensors} package reads): an 8-byte
 * little-endian header length N, N bytes of JSON header padded with spaces to a multiple of 8, then every tensor's
 * raw little-endian bytes back to back in the map's iteration order. Files are written atomically.
 */
public final class SafetensorsWriter {

    static final String METADATA_KEY = "__metadata__";
    private static final JsonFactory JSON = new JsonFactory();

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} (host tensors, in iteration order) and optional string metadata to {@code file} atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        try {
            AtomicFiles.write(file, channel -> writeTo(channel, header, tensors));
        } catch (IOException e) {
            throw IoErrors.naming(file, e); // "No space left on device" alone would not say which file
        }
    }

    /**
     * The file's prefix: the 8-byte length followed by the padded JSON header. Exposed so that tests can compare it
     * byte for byte with a hand-built file.
     */
    public static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        requireLittleEndianHost();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            if (metadata != null && !metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA_KEY);
                for (var e : metadata.entrySet()) g.writeStringField(e.getKey(), e.getValue());
                g.writeEndObject();
            }
            long offset = 0;
            for (var e : tensors.entrySet()) {
                String name = e.getKey();
                Tensor t = e.getValue();
                if (name.isEmpty() || name.equals(METADATA_KEY)) {
                    throw new IllegalArgumentException("tensor name '" + name + "' is reserved or empty");
                }
                if (!t.isHost()) {
                    throw new IllegalArgumentException("tensor '" + name + "' lives on a device; copy it to the host before saving");
                }
                g.writeObjectFieldStart(name);
                g.writeStringField("dtype", t.dtype().safetensorsName());
                g.writeArrayFieldStart("shape");
                for (int d : t.shape().dims()) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + t.byteSize());
                g.writeEndArray();
                g.writeEndObject();
                offset += t.byteSize();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory cannot fail
        }
        int length = json.size();
        int padded = (length + 7) & ~7;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json.toByteArray());
        while (out.hasRemaining()) out.put((byte) ' ');
        return out.array();
    }

    private static void writeTo(FileChannel channel, byte[] header, Map<String, Tensor> tensors) throws IOException {
        AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
        for (Tensor t : tensors.values()) {
            // Host segments are in native order, which requireLittleEndianHost has checked is little-endian.
            AtomicFiles.writeFully(channel, t.segment().asSlice(0, t.byteSize()).asByteBuffer());
        }
    }

    static void requireLittleEndianHost() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("safetensors I/O needs a little-endian host; this one is " + ByteOrder.nativeOrder());
        }
    }
}
