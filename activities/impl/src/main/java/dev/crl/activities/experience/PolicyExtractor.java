package dev.crl.activities.experience;

import dev.crl.activities.PromptBudget;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.activities.training.InferenceModels;
import dev.crl.experience.extractor.ExtractorModel;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The extractor as the experience manager sees it, backed by a policy model at a checkpoint that
 * the run moves forward as CISPO updates land. It remembers the tokens and sampling
 * log-probabilities of what it generated, because the extractor's CISPO ratio needs them.
 */
public final class PolicyExtractor implements ExtractorModel {
  private static final String STOP = "</answer>";
  /** Answer length of a tiny extractor: one add operation with a short lesson fits easily. */
  public static final int TINY_MAX_NEW_TOKENS = 96;
  /** Answer length of a pretrained extractor, which may think before answering. */
  public static final int PRETRAINED_MAX_NEW_TOKENS = 384;
  private final InferenceModels models;
  private final int maxNewTokens;
  private final double temperature;
  private final AtomicLong calls = new AtomicLong();
  private volatile CheckpointRef checkpoint;
  private final Map<String, Generated> generated = new ConcurrentHashMap<>();

  /** What one completion was made of. */
  public record Generated(int[] promptTokens, int[] responseTokens, float[] logprobs, String checkpointKey) {}

  public PolicyExtractor(InferenceModels models, CheckpointRef checkpoint, int maxNewTokens, double temperature) {
    this.models = models;
    this.checkpoint = checkpoint;
    this.maxNewTokens = maxNewTokens;
    this.temperature = temperature;
  }

  /** Generates with another checkpoint from now on. */
  public void use(CheckpointRef ref) {
    this.checkpoint = ref;
  }

  public CheckpointRef current() {
    return checkpoint;
  }

  @Override
  public List<String> complete(List<String> prompts) {
    if (checkpoint == null) {
      throw new IllegalStateException("the extractor has no checkpoint yet; distillation names one");
    }
    String key = checkpoint.key();
    List<int[]> ids = new ArrayList<>(prompts.size());
    List<Generation> out;
    try (InferenceModels.Lease lease = models.lease(checkpoint)) {
      PolicyModel model = lease.model();
      for (String p : prompts) {
        ids.add(PromptBudget.keepTail(model.tokenizer().encode(p), model.config().maxPositions() - maxNewTokens));
      }
      SamplingParams params = new SamplingParams(maxNewTokens, temperature, 1.0, 0, List.of(STOP), null);
      synchronized (model) {
        out = model.generate(ids, params, calls.incrementAndGet());
      }
    }
    List<String> texts = new ArrayList<>(out.size());
    for (int i = 0; i < out.size(); i++) {
      Generation g = out.get(i);
      // The generator cuts the text before its stop sequence; the answer's closing tag is part
      // of the answer grammar, so it is put back.
      String text = g.finishReason() == Generation.FinishReason.STOP_SEQUENCE ? g.text() + STOP : g.text();
      texts.add(text);
      generated.put(prompts.get(i) + "\u0000" + text, new Generated(ids.get(i), g.tokens(), g.logprobs(), key));
    }
    return texts;
  }

  /** The tokens behind a (prompt, response) pair this extractor produced, removing the record. */
  public Generated take(String prompt, String response) {
    return generated.remove(prompt + "\u0000" + response);
  }

  /** Forgets records nobody asked for (rejected answers), so memory stays bounded. */
  public void clearRecords() {
    generated.clear();
  }

  @Override
  public String checkpoint() {
    return checkpoint == null ? "none" : checkpoint.key();
  }
}
