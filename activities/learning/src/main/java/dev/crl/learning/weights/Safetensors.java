package dev.crl.learning.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header,
 * then raw little-endian tensor bytes). Reading accepts F32, F16 and BF16 and always yields
 * float32 arrays; writing stores float32.
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Safetensors() {}

  /** Reads every tensor of one file into arrays attached to {@code manager}. */
  public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > 100_000_000L || headerLen + 8 > ch.size()) {
        throw new IOException(file + " is not a safetensors file (header length " + headerLen + ")");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      readFully(ch, hb, 8);
      JsonNode header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
      long dataStart = 8 + headerLen;
      Iterator<Map.Entry<String, JsonNode>> it = header.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode t = e.getValue();
        String dtype = t.path("dtype").asText();
        long[] dims = new long[t.path("shape").size()];
        for (int i = 0; i < dims.length; i++) {
          dims[i] = t.path("shape").get(i).asLong();
        }
        long begin = t.path("data_offsets").get(0).asLong();
        long end = t.path("data_offsets").get(1).asLong();
        Shape shape = new Shape(dims);
        int width = switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default -> throw new IOException("tensor " + e.getKey() + " in " + file + " has unsupported dtype " + dtype);
        };
        if (end - begin != shape.size() * width || dataStart + end > ch.size()) {
          throw new IOException("tensor " + e.getKey() + " in " + file + " has inconsistent offsets");
        }
        ByteBuffer raw = ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, raw, dataStart + begin);
        raw.flip();
        float[] values = new float[Math.toIntExact(shape.size())];
        switch (dtype) {
          case "F32" -> raw.asFloatBuffer().get(values);
          case "F16" -> {
            for (int i = 0; i < values.length; i++) {
              values[i] = Half.toFloat(raw.getShort());
            }
          }
          default -> {
            for (int i = 0; i < values.length; i++) {
              values[i] = Float.intBitsToFloat((raw.getShort() & 0xffff) << 16);
            }
          }
        }
        NDArray a = manager.create(values, shape);
        a.setName(e.getKey());
        out.put(e.getKey(), a);
      }
    }
    return out;
  }

  /**
   * Reads a Hugging Face model directory: {@code model.safetensors}, or the shards listed in
   * {@code model.safetensors.index.json}.
   */
  public static Map<String, NDArray> readDirectory(Path dir, NDManager manager) throws IOException {
    Path index = dir.resolve("model.safetensors.index.json");
    Map<String, NDArray> all = new LinkedHashMap<>();
    if (Files.exists(index)) {
      JsonNode map = JSON.readTree(index.toFile()).path("weight_map");
      TreeSet<String> shards = new TreeSet<>();
      map.elements().forEachRemaining(n -> shards.add(n.asText()));
      if (shards.isEmpty()) {
        throw new IOException(index + " lists no shards");
      }
      for (String shard : shards) {
        all.putAll(read(dir.resolve(shard), manager));
      }
      Iterator<String> names = map.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!all.containsKey(name)) {
          throw new IOException("tensor " + name + " listed in " + index + " is missing from its shard");
        }
      }
      return all;
    }
    Path single = dir.resolve("model.safetensors");
    if (!Files.exists(single)) {
      throw new IOException("no model.safetensors or model.safetensors.index.json in " + dir);
    }
    return read(single, manager);
  }

  /** Writes float32 tensors in the given order. */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      NDArray a = e.getValue();
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long d : a.getShape().getShape()) {
        shape.add(d);
      }
      long bytes = a.size() * 4;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] hb = JSON.writeValueAsBytes(header);
    int pad = (8 - hb.length % 8) % 8;
    byte[] padded = new byte[hb.length + pad];
    System.arraycopy(hb, 0, padded, 0, hb.length);
    for (int i = hb.length; i < padded.length; i++) {
      padded[i] = ' ';
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length);
      out.write(len.array());
      out.write(padded);
      for (NDArray a : tensors.values()) {
        float[] v = (a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false)).toFloatArray();
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        out.write(bb.array());
      }
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }
}
