package dev.crl.experience.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An int8 copy of a store's vectors inside libtorch, one float scale per row, and the scan that
 * scores a batch of queries against a range of rows. Row i stands for {@code codes[i] * scales[i]}
 * with {@code scales[i] = max|x| / 127}, so every row uses the full int8 range.
 *
 * <p>Why int8: a batch of 16 queries scored against all 20,000 × 384 rows reads the whole copy
 * once. As int8 that is 7.7 MB, against 30.7 MB as float32, and PyTorch's int8 matrix product
 * ({@code _int_mm}, reached through the TorchScript program {@value #PROGRAM} that
 * {@code tools/make_bank_search.py} writes) uses the CPU's integer dot-product units. On this
 * machine the product alone takes about 1.1 ms on one thread, against 7.8 ms for a float32
 * product; a whole scan call from Java, with the query quantisation, the top-k and the copies,
 * about 2.2 ms. The
 * codes only choose candidates; {@link ExactExperienceStore} ranks those again with the exact
 * float32 vectors.
 *
 * <p>Not thread-safe for writes: the store writes under its write lock and scans under its read
 * lock. Scans may run concurrently (the program holds no state).
 */
final class Int8Rows implements AutoCloseable {

  static final String PROGRAM = "int8-bank-scan.pt";

  private final int dimension;
  private final NDManager manager;
  private NDArray codes;
  private NDArray scales;
  private int capacity;

  /** Empty rows for vectors of {@code dimension} coordinates, with room for {@code capacity} rows. */
  Int8Rows(int dimension, int capacity) {
    this.dimension = dimension;
    this.manager = NDManager.newBaseManager("PyTorch");
    this.capacity = Math.max(1, capacity);
    this.codes = manager.zeros(new Shape(this.capacity, dimension), DataType.INT8);
    this.scales = manager.zeros(new Shape(this.capacity), DataType.FLOAT32);
  }

  int capacity() {
    return capacity;
  }

  /** The manager that owns the rows; arrays that must live as long as they do belong to it. */
  NDManager manager() {
    return manager;
  }

  /**
   * Makes room for at least {@code rows} rows, doubling the capacity as needed.
   *
   * @return whether the capacity changed (arrays sized by it must be rebuilt)
   */
  boolean ensureCapacity(int rows) {
    if (rows <= capacity) {
      return false;
    }
    int grown = capacity;
    while (grown < rows) {
      grown = Math.multiplyExact(grown, 2);
    }
    NDArray newCodes = manager.zeros(new Shape(grown, dimension), DataType.INT8);
    NDArray newScales = manager.zeros(new Shape(grown), DataType.FLOAT32);
    NDIndex old = new NDIndex("0:" + capacity);
    newCodes.set(old, codes);
    newScales.set(old, scales);
    codes.close();
    scales.close();
    codes = newCodes;
    scales = newScales;
    capacity = grown;
    return true;
  }

  /** Stores the int8 codes of {@code vector} (finite, not all zero) in row {@code row}. */
  void write(int row, float[] vector) {
    float peak = 0f;
    for (float x : vector) {
      peak = Math.max(peak, Math.abs(x));
    }
    float toCode = 127f / peak;
    byte[] rowCodes = new byte[dimension];
    for (int i = 0; i < dimension; i++) {
      rowCodes[i] = (byte) Math.max(-127, Math.min(127, Math.round(vector[i] * toCode)));
    }
    try (NDManager scope = manager.newSubManager()) {
      codes.set(new NDIndex(row), scope.create(rowCodes));
    }
    scales.set(new NDIndex(row), peak / 127f);
  }

  /** The best rows of one scan per query: absolute row numbers and approximate scores, best first. */
  record Candidates(int[][] rows, float[][] scores) {}

  /**
   * Scores rows {@code lo..hi-1} against every query and keeps the {@code k} best per query.
   *
   * @param queries the queries, row-major, {@code batch × dimension}
   * @param masks per-row additive masks (0 or negative infinity), or empty for no filtering
   * @param maskOfQuery which mask each query adds (ignored when {@code masks} is empty)
   */
  Candidates scan(float[] queries, int batch, int lo, int hi, int k, List<NDArray> masks, long[] maskOfQuery) {
    List<IValue> args = new ArrayList<>(8);
    try (PtNDManager scope = (PtNDManager) manager.newSubManager()) {
      args.add(IValue.from((PtNDArray) codes));
      args.add(IValue.from((PtNDArray) scales));
      args.add(IValue.from((long) lo));
      args.add(IValue.from((long) hi));
      args.add(IValue.from((PtNDArray) scope.create(queries, new Shape(batch, dimension))));
      args.add(IValue.from((long) k));
      args.add(IValue.listFrom(masks.stream().map(m -> (PtNDArray) m).toArray(PtNDArray[]::new)));
      args.add(IValue.from((PtNDArray) scope.create(masks.isEmpty() ? new long[batch] : maskOfQuery)));
      try (IValue result = Program.INSTANCE.forward(args.toArray(IValue[]::new))) {
        IValue[] pair = result.toIValueTuple();
        try {
          float[] values = pair[0].toTensor(scope).toFloatArray();
          long[] offsets = pair[1].toTensor(scope).toLongArray();
          int kept = values.length / batch;
          int[][] rows = new int[batch][kept];
          float[][] scores = new float[batch][kept];
          for (int q = 0; q < batch; q++) {
            for (int j = 0; j < kept; j++) {
              rows[q][j] = lo + (int) offsets[q * kept + j];
              scores[q][j] = values[q * kept + j];
            }
          }
          return new Candidates(rows, scores);
        } finally {
          for (IValue v : pair) {
            v.close();
          }
        }
      }
    } finally {
      args.forEach(IValue::close);
    }
  }

  @Override
  public void close() {
    manager.close();
  }

  /** The scan program, loaded once per process into a manager that is never closed. */
  private static final class Program {
    static final PtSymbolBlock INSTANCE = load();

    private static PtSymbolBlock load() {
      try (InputStream in = Int8Rows.class.getResourceAsStream(PROGRAM)) {
        if (in == null) {
          throw new IllegalStateException(PROGRAM + " is missing from the class path; "
              + "rebuild the experience module (tools/make_bank_search.py writes it)");
        }
        PtNDManager owner = (PtNDManager) NDManager.newBaseManager("PyTorch");
        return JniUtils.loadModule(owner, in, false, false);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + PROGRAM + ": " + e.getMessage(), e);
      }
    }
  }
}
