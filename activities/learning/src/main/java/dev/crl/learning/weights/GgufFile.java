package dev.crl.learning.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed GGUF file (versions 2 and 3): metadata, tensor directory, and dequantisation of F32,
 * F16, Q8_0, Q4_0 and Q4_1 tensors to float32.
 */
public final class GgufFile implements AutoCloseable {
  private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian int

  /** One tensor's directory entry; {@code dims} are in Hugging Face (row-major) order. */
  public record TensorInfo(String name, long[] dims, int type, long offset) {
    public long elements() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final Map<String, Object> metadata = new LinkedHashMap<>();
  private final Map<String, TensorInfo> tensors = new LinkedHashMap<>();
  private final long dataStart;

  private GgufFile(Path path) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = channel.size();
      // The header and directory sit at the front; 64 MiB is far more than any real one needs.
      ByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, 64L << 20)).order(ByteOrder.LITTLE_ENDIAN);
      if (size < 24 || b.getInt() != MAGIC) {
        throw new IOException(path + " is not a GGUF file");
      }
      int version = b.getInt();
      if (version != 2 && version != 3) {
        throw new IOException(path + " has GGUF version " + version + "; versions 2 and 3 are supported");
      }
      long tensorCount = b.getLong();
      long kvCount = b.getLong();
      for (long i = 0; i < kvCount; i++) {
        String key = string(b);
        metadata.put(key, value(b, b.getInt()));
      }
      for (long i = 0; i < tensorCount; i++) {
        String name = string(b);
        int nDims = b.getInt();
        long[] dims = new long[nDims];
        for (int d = 0; d < nDims; d++) {
          dims[nDims - 1 - d] = b.getLong();
        }
        tensors.put(name, new TensorInfo(name, dims, b.getInt(), b.getLong()));
      }
      long alignment = ((Number) metadata.getOrDefault("general.alignment", 32)).longValue();
      long pos = b.position();
      this.dataStart = (pos + alignment - 1) / alignment * alignment;
    } catch (RuntimeException e) {
      channel.close();
      throw new IOException(path + " is not a readable GGUF file: " + e, e);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  public static GgufFile open(Path path) throws IOException {
    return new GgufFile(path);
  }

  public Map<String, Object> metadata() {
    return metadata;
  }

  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  public String string(String key) throws IOException {
    Object v = metadata.get(key);
    if (!(v instanceof String s)) {
      throw new IOException(path + " metadata lacks string " + key);
    }
    return s;
  }

  public long number(String key) throws IOException {
    Object v = metadata.get(key);
    if (!(v instanceof Number n)) {
      throw new IOException(path + " metadata lacks number " + key);
    }
    return n.longValue();
  }

  /** Dequantises one tensor to float32 in row-major order. */
  public float[] read(TensorInfo t) throws IOException {
    int n = Math.toIntExact(t.elements());
    long bytes = switch (t.type()) {
      case 0 -> 4L * n;
      case 1 -> 2L * n;
      case 2 -> blocks(t, n) * 18L;
      case 3 -> blocks(t, n) * 20L;
      case 8 -> blocks(t, n) * 34L;
      default -> throw new IOException("tensor " + t.name() + " has GGUF type " + t.type()
          + "; only F32, F16, Q8_0, Q4_0 and Q4_1 are supported");
    };
    ByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.offset(), bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[n];
    switch (t.type()) {
      case 0 -> b.asFloatBuffer().get(out);
      case 1 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Half.toFloat(b.getShort());
        }
      }
      case 2 -> {
        for (int blk = 0; blk < n / 32; blk++) {
          float d = Half.toFloat(b.getShort());
          int base = blk * 32;
          for (int j = 0; j < 16; j++) {
            int q = b.get() & 0xff;
            out[base + j] = ((q & 0x0f) - 8) * d;
            out[base + j + 16] = ((q >>> 4) - 8) * d;
          }
        }
      }
      case 3 -> {
        for (int blk = 0; blk < n / 32; blk++) {
          float d = Half.toFloat(b.getShort());
          float m = Half.toFloat(b.getShort());
          int base = blk * 32;
          for (int j = 0; j < 16; j++) {
            int q = b.get() & 0xff;
            out[base + j] = (q & 0x0f) * d + m;
            out[base + j + 16] = (q >>> 4) * d + m;
          }
        }
      }
      default -> {
        for (int blk = 0; blk < n / 32; blk++) {
          float d = Half.toFloat(b.getShort());
          int base = blk * 32;
          for (int j = 0; j < 32; j++) {
            out[base + j] = b.get() * d;
          }
        }
      }
    }
    return out;
  }

  private static long blocks(TensorInfo t, int n) throws IOException {
    if (n % 32 != 0) {
      throw new IOException("quantised tensor " + t.name() + " has " + n + " elements, not a multiple of 32");
    }
    return n / 32;
  }

  private static String string(ByteBuffer b) {
    long len = b.getLong();
    byte[] bytes = new byte[Math.toIntExact(len)];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Object value(ByteBuffer b, int type) throws IOException {
    return switch (type) {
      case 0 -> b.get() & 0xff;
      case 1 -> (int) b.get();
      case 2 -> b.getShort() & 0xffff;
      case 3 -> (int) b.getShort();
      case 4 -> b.getInt() & 0xffffffffL;
      case 5 -> b.getInt();
      case 6 -> (double) b.getFloat();
      case 7 -> b.get() != 0;
      case 8 -> string(b);
      case 9 -> {
        int itemType = b.getInt();
        long count = b.getLong();
        List<Object> items = new ArrayList<>((int) Math.min(count, 1 << 20));
        for (long i = 0; i < count; i++) {
          items.add(value(b, itemType));
        }
        yield items;
      }
      case 10 -> b.getLong();
      case 11 -> b.getLong();
      case 12 -> b.getDouble();
      default -> throw new IOException("unknown GGUF metadata type " + type);
    };
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
