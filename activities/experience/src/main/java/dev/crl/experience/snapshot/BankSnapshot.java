package dev.crl.experience.snapshot;

import dev.crl.experience.EntryStats;
import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.Provenance;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The whole bank as one byte stream, for the object store: every entry in FIFO order with its
 * vector written as raw IEEE-754 bits, so a restore gives back exactly the same floats. A CRC-32
 * trailer detects truncated or damaged objects before anything is replaced.
 *
 * @param embedderName the embedding space the vectors belong to
 * @param dimension vector length
 * @param nextSequence the next entry-id sequence number, so restored banks never reuse an id
 * @param entries entries, oldest first
 */
public record BankSnapshot(String embedderName, int dimension, long nextSequence, List<ExperienceEntry> entries) {

  private static final byte[] MAGIC = "CRLBANK1".getBytes(StandardCharsets.US_ASCII);
  private static final int FORMAT_VERSION = 1;
  private static final int MAX_STRING_BYTES = 16 << 20;
  private static final int MAX_LIST = 1 << 24;

  public BankSnapshot {
    Objects.requireNonNull(embedderName, "embedderName");
    entries = List.copyOf(entries);
    for (ExperienceEntry e : entries) {
      if (e.embedding().length != dimension) {
        throw new IllegalArgumentException("entry " + e.id() + " does not have " + dimension + " dimensions");
      }
    }
  }

  /** Writes the snapshot; the stream is flushed but not closed. */
  public void write(OutputStream target) throws IOException {
    CheckedOutputStream checked = new CheckedOutputStream(new NonClosing(target), new CRC32());
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(checked, 1 << 16));
    out.write(MAGIC);
    out.writeInt(FORMAT_VERSION);
    writeString(out, embedderName);
    out.writeInt(dimension);
    out.writeLong(nextSequence);
    out.writeInt(entries.size());
    for (ExperienceEntry e : entries) {
      writeEntry(out, e);
    }
    out.flush();
    long crc = checked.getChecksum().getValue();
    out.writeLong(crc);
    out.flush();
  }

  /**
   * Reads a snapshot written by {@link #write}.
   *
   * @throws IOException with a message saying what is wrong when the bytes are not a complete,
   *     undamaged snapshot
   */
  public static BankSnapshot read(InputStream source) throws IOException {
    CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(source, 1 << 16), new CRC32());
    DataInputStream in = new DataInputStream(checked);
    try {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException("not a crl bank snapshot (bad magic bytes)");
      }
      int format = in.readInt();
      if (format != FORMAT_VERSION) {
        throw new IOException("unsupported bank snapshot format " + format + " (this build reads " + FORMAT_VERSION + ")");
      }
      String embedder = readString(in);
      int dimension = in.readInt();
      if (dimension < 1 || dimension > 4096) {
        throw new IOException("corrupt bank snapshot: dimension " + dimension);
      }
      long nextSequence = in.readLong();
      int count = readCount(in);
      List<ExperienceEntry> entries = new ArrayList<>(Math.min(count, 1 << 16));
      for (int i = 0; i < count; i++) {
        entries.add(readEntry(in, dimension));
      }
      long expected = checked.getChecksum().getValue();
      long stored = in.readLong();
      if (stored != expected) {
        throw new IOException("corrupt bank snapshot: checksum mismatch");
      }
      return new BankSnapshot(embedder, dimension, nextSequence, entries);
    } catch (EOFException e) {
      throw new IOException("corrupt bank snapshot: truncated", e);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException("corrupt bank snapshot: " + e.getMessage(), e);
    }
  }

  private static void writeEntry(DataOutputStream out, ExperienceEntry e) throws IOException {
    writeString(out, e.id());
    writeString(out, e.title());
    writeString(out, e.content());
    writeStrings(out, e.tags());
    float[] v = e.embedding();
    for (float x : v) {
      out.writeInt(Float.floatToRawIntBits(x));
    }
    EntryStats s = e.stats();
    out.writeLong(s.timesRetrieved());
    out.writeLong(s.timesTrained());
    out.writeLong(s.lastRetrievedMillis());
    out.writeLong(s.lastTrainedStep());
    out.writeLong(s.guidedSuccesses());
    out.writeLong(s.guidedFailures());
    Provenance p = e.provenance();
    writeStrings(out, p.sourceEpisodes());
    writeString(out, p.extractorCheckpoint());
    out.writeLong(p.createdMillis());
    out.writeLong(p.updatedMillis());
    out.writeLong(e.version());
  }

  private static ExperienceEntry readEntry(DataInputStream in, int dimension) throws IOException {
    String id = readString(in);
    String title = readString(in);
    String content = readString(in);
    List<String> tags = readStrings(in);
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = Float.intBitsToFloat(in.readInt());
    }
    EntryStats stats =
        new EntryStats(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    Provenance provenance = new Provenance(readStrings(in), readString(in), in.readLong(), in.readLong());
    long version = in.readLong();
    return new ExperienceEntry(id, title, content, tags, v, stats, provenance, version);
  }

  private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
    out.writeInt(values.size());
    for (String s : values) {
      writeString(out, s);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int n = readCount(in);
    List<String> out = new ArrayList<>(Math.min(n, 64));
    for (int i = 0; i < n; i++) {
      out.add(readString(in));
    }
    return out;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_STRING_BYTES) {
      throw new IOException("corrupt bank snapshot: string length " + n);
    }
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new EOFException();
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static int readCount(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_LIST) {
      throw new IOException("corrupt bank snapshot: list length " + n);
    }
    return n;
  }

  /** Keeps the caller's stream open: the caller owns it (it may be an object-store upload). */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
