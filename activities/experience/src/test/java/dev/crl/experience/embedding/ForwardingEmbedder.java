package dev.crl.experience.embedding;

import java.util.List;

/**
 * For tests: an embedder that passes every call on to another one. Tests override {@link #embed}
 * to record, slow down or fail calls, and call {@code super} for the vectors. {@link
 * #embedDeferrable} keeps the interface's default, which calls {@link #embed}, so an override of
 * {@code embed} sees the lessons too; a test that must tell the two kinds apart overrides both.
 */
public class ForwardingEmbedder implements Embedder {

  protected final Embedder inner;

  public ForwardingEmbedder(Embedder inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public int dimension() {
    return inner.dimension();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    return inner.embed(texts);
  }
}
