package dev.crl.experience.embedding;

import java.util.List;

/**
 * Turns texts into unit-length vectors. Implementations are thread-safe: the experience manager
 * embeds retrieval batches and newly written entries from different threads.
 */
public interface Embedder extends AutoCloseable {

  /** A name that identifies the embedding space; snapshots record it so banks are not mixed up. */
  String name();

  /** Length of every vector this embedder returns. */
  int dimension();

  /** Embeds each text; the result has one L2-normalised vector per text, in order. */
  List<float[]> embed(List<String> texts);

  /**
   * Embeds texts whose wait matters less than other callers' (lessons being written, as opposed
   * to retrieval queries an actor waits for). An embedder that runs one call at a time lets the
   * other waiting callers go first; by default this is {@link #embed(List)}.
   */
  default List<float[]> embedDeferrable(List<String> texts) {
    return embed(texts);
  }

  /** Embeds a single text. */
  default float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }

  @Override
  default void close() {}
}
