package dev.crl.api.spec;

/**
 * The three models of a run: the actor, the experience extractor and the embedder used for
 * retrieval. Actor and extractor keep separate weights (the paper found sharing unstable).
 */
public record ModelsSpec(ModelSpec actor, ModelSpec extractor, EmbedderSpec embedder) {
  public ModelsSpec {
    actor = actor == null ? new ModelSpec(null, null, null, null) : actor;
    extractor = extractor == null ? new ModelSpec(null, null, null, null) : extractor;
    embedder = embedder == null ? new EmbedderSpec(null, null, null, null) : embedder;
  }

  /**
   * One causal language model.
   *
   * @param kind {@code tiny} (trained from scratch from a size preset) or {@code pretrained}
   *     (Hugging Face directory or GGUF file)
   * @param preset size preset for {@code tiny} models, {@code tiny} or {@code small}, optionally with {@code -qwen2} or {@code -qwen3}
   * @param path weights for {@code pretrained} models
   * @param warmStartSteps supervised warm-start steps before RL (the extractor's stand-in for a
   *     pretrained model's ability to summarise); 0 disables it
   */
  public record ModelSpec(String kind, String preset, String path, Integer warmStartSteps) {
    public ModelSpec {
      kind = kind == null ? "tiny" : kind;
      preset = preset == null && "tiny".equals(kind) ? "tiny" : preset;
      warmStartSteps = warmStartSteps == null ? 0 : warmStartSteps;
    }
  }

  /**
   * The text embedder for experience entries and retrieval queries.
   *
   * @param kind {@code hashing} (deterministic, no model) or {@code minilm} (all-MiniLM-L6-v2)
   * @param dim embedding dimension (384 for MiniLM)
   * @param path model directory for {@code minilm}; empty means the pip-installed package
   * @param lessonPriority {@code normal} (new lessons are embedded on the distilling thread) or
   *     {@code background} (on a thread at idle priority, which yields the cores to retrieval)
   */
  public record EmbedderSpec(String kind, Integer dim, String path, String lessonPriority) {
    public EmbedderSpec {
      kind = kind == null ? "hashing" : kind;
      dim = dim == null ? 384 : dim;
      lessonPriority = lessonPriority == null ? "normal" : lessonPriority;
    }
  }
}
