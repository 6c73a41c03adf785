package dev.crl.learning.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.model.Decoder;
import java.util.List;

/**
 * Policy updates over a {@link PolicyModel}: GRPO for the actor, CISPO for the extractor and a
 * supervised cross-entropy step for warm starts. Each step runs its micro-batches, accumulates
 * gradients, clips, applies AdamW and releases every intermediate array before returning.
 *
 * <p>Gradients are recorded by switching PyTorch's thread-local grad mode directly instead of
 * using DJL's GradientCollector, because that collector is a process-wide singleton and two
 * trainers (actor and extractor) may step on different threads.
 */
public final class RlTrainer implements AutoCloseable {
  private final PolicyModel model;
  private final Decoder decoder;
  private final OptimizerConfig config;
  private final AdamW optimizer;

  public RlTrainer(PolicyModel model, OptimizerConfig config) {
    this.model = model;
    this.decoder = model.decoder();
    this.config = config;
    this.optimizer = new AdamW(decoder.parameters(), decoder.manager());
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public OptimizerConfig config() {
    return config;
  }

  public PolicyModel model() {
    return model;
  }

  /** GRPO with PPO-style clipped token ratios; advantages come with the samples. */
  public TrainStepResult grpoStep(List<RlSample> samples, GrpoConfig c) {
    requireOldLogprobs(samples);
    if (c.klCoefficient() > 0) {
      for (int i = 0; i < samples.size(); i++) {
        if (samples.get(i).refLogprobs() == null) {
          throw new IllegalArgumentException("sample " + i + " has no reference log-probabilities but the KL coefficient is "
              + c.klCoefficient() + "; set them with RlSample.withRefLogprobs or use klCoefficient 0");
        }
      }
    }
    double normalizer = 0;
    for (RlSample s : samples) {
      normalizer += c.aggregation() == GrpoConfig.Aggregation.SEQUENCE_MEAN ? s.weight() : s.trainableCount() * s.weight();
    }
    final double norm = normalizer;
    return run(samples, norm, (lp, old, ref, mask, adv, w) -> new NDArray[] {
        LossFunctions.grpo(lp, old, ref, c.klCoefficient(), mask, adv, w, c.clipEpsilon(), c.aggregation(), norm),
        LossFunctions.grpoClippedCount(lp, old, mask, adv, c.clipEpsilon()), LossFunctions.approxKlSum(lp, old, mask)});
  }

  /** CISPO with the clipped, stop-gradient importance weight; normalised by total token count. */
  public TrainStepResult cispoStep(List<RlSample> samples, CispoConfig c) {
    requireOldLogprobs(samples);
    double tokens = totalTrainable(samples);
    return run(samples, tokens, (lp, old, ref, mask, adv, w) -> new NDArray[] {
        LossFunctions.cispo(lp, old, mask, adv, w, c.epsilonLow(), c.epsilonHigh(), tokens),
        LossFunctions.cispoClippedCount(lp, old, mask, c.epsilonLow(), c.epsilonHigh()),
        LossFunctions.approxKlSum(lp, old, mask)});
  }

  /** Supervised step: weighted negative log-likelihood of the trainable tokens. */
  public TrainStepResult sftStep(List<RlSample> samples) {
    double tokens = totalTrainable(samples);
    return run(samples, tokens, (lp, old, ref, mask, adv, w) -> new NDArray[] {LossFunctions.crossEntropy(lp, mask, w, tokens), null, null});
  }

  /** One step's objective: returns {loss, clipped-token count or null, KL sum or null}. */
  private interface Objective {
    NDArray[] apply(NDArray logprobs, NDArray old, NDArray ref, NDArray mask, NDArray advantages, NDArray weights);
  }

  private TrainStepResult run(List<RlSample> samples, double normalizer, Objective objective) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("a training step needs at least one sample");
    }
    int vocab = decoder.config().vocabSize();
    long trainable = 0;
    long allTokens = 0;
    for (int i = 0; i < samples.size(); i++) {
      RlSample s = samples.get(i);
      for (int t : s.tokens()) {
        if (t < 0 || t >= vocab) {
          throw new IllegalArgumentException("sample " + i + " has token id " + t + " outside the vocabulary of " + vocab);
        }
      }
      trainable += s.trainableCount();
      allTokens += s.tokens().length;
    }
    if (trainable == 0 || normalizer <= 0) {
      throw new IllegalArgumentException("the batch has no trainable tokens with positive weight");
    }
    long started = System.nanoTime();
    int micro = config.microBatchSize() <= 0 ? samples.size() : config.microBatchSize();
    double loss = 0;
    double clipped = 0;
    double entropy = 0;
    double kl = 0;
    boolean previous = JniUtils.isGradMode();
    try {
      for (int from = 0; from < samples.size(); from += micro) {
        List<RlSample> batch = samples.subList(from, Math.min(samples.size(), from + micro));
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          JniUtils.setGradMode(true);
          double[] stats = microBatch(batch, objective);
          loss += stats[0];
          clipped += stats[1];
          entropy += stats[2];
          kl += stats[3];
        } finally {
          JniUtils.setGradMode(false);
        }
      }
      double gradNorm = optimizer.update(config);
      double seconds = (System.nanoTime() - started) / 1e9;
      return new TrainStepResult(
          optimizer.step(), loss, gradNorm, clipped / trainable, entropy / trainable, kl / trainable, trainable,
          allTokens / seconds, config.learningRateAt(optimizer.step()));
    } catch (RuntimeException e) {
      optimizer.zeroGradients();
      throw e;
    } finally {
      JniUtils.setGradMode(previous);
    }
  }

  /** Forward and backward over one micro-batch; returns {loss, clipped tokens, entropy sum, KL sum}. */
  private double[] microBatch(List<RlSample> batch, Objective objective) {
    NDManager m = decoder.manager();
    int b = batch.size();
    int len = 0;
    for (RlSample s : batch) {
      len = Math.max(len, s.tokens().length);
    }
    long[] ids = new long[b * len];
    float[] positions = new float[b * len];
    float[] mask = new float[b * (len - 1)];
    float[] old = new float[b * (len - 1)];
    float[] ref = new float[b * (len - 1)];
    float[] adv = new float[b];
    float[] weights = new float[b];
    for (int i = 0; i < b; i++) {
      RlSample s = batch.get(i);
      for (int t = 0; t < len; t++) {
        ids[i * len + t] = t < s.tokens().length ? s.tokens()[t] : 0;
        positions[i * len + t] = t;
      }
      for (int t = 1; t < s.tokens().length; t++) {
        if (s.trainable()[t]) {
          mask[i * (len - 1) + t - 1] = 1f;
          old[i * (len - 1) + t - 1] = s.oldLogprobs() == null ? 0f : s.oldLogprobs()[t];
          ref[i * (len - 1) + t - 1] = s.refLogprobs() == null ? 0f : s.refLogprobs()[t];
        }
      }
      adv[i] = (float) s.advantage();
      weights[i] = (float) s.weight();
    }
    float[] causal = new float[len * len];
    for (int q = 0; q < len; q++) {
      for (int k = q + 1; k < len; k++) {
        causal[q * len + k] = Decoder.MASKED;
      }
    }
    NDArray idArray = m.create(ids, new Shape(b, len));
    NDArray logits = decoder.forward(
        idArray, m.create(positions, new Shape(b, len)), m.create(causal, new Shape(1, 1, 1, len, len)), null, 0, false);
    NDArray shifted = logits.get(new NDIndex(":, :-1, :"));
    NDArray logSoftmax = shifted.logSoftmax(-1);
    NDArray targets = idArray.get(new NDIndex(":, 1:")).expandDims(-1);
    NDArray logprobs = logSoftmax.gather(targets, -1).squeeze(-1);
    MaskedPositions masked = MaskedPositions.of(batch, len);
    NDArray allowedLogits = null;
    NDArray maskedLogZ = null;
    if (masked != null) {
      // Constrained tokens were drawn from the softmax over their allowed ids only; recompute that
      // distribution (target logit minus the log-sum-exp over the allowed logits).
      allowedLogits = masked.allowedLogits(m, shifted);
      maskedLogZ = MaskedPositions.logSumExp(allowedLogits);
      NDArray maskedLogprobs = shifted.gather(targets, -1).squeeze(-1).sub(maskedLogZ);
      NDArray flag = masked.flags(m);
      logprobs = maskedLogprobs.mul(flag).add(logprobs.mul(flag.neg().add(1f)));
    }
    NDArray maskArray = m.create(mask, new Shape(b, len - 1));
    NDArray[] out = objective.apply(
        logprobs, m.create(old, new Shape(b, len - 1)), m.create(ref, new Shape(b, len - 1)), maskArray, m.create(adv),
        m.create(weights));
    JniUtils.backward((PtNDArray) out[0], (PtNDArray) out[0].onesLike(), false, false);
    JniUtils.setGradMode(false);
    NDArray detached = logSoftmax.stopGradient();
    NDArray tokenEntropy = detached.exp().mul(detached).sum(new int[] {-1}).neg();
    if (masked != null) {
      NDArray flag = masked.flags(m);
      tokenEntropy = MaskedPositions.entropy(allowedLogits.stopGradient(), maskedLogZ.stopGradient()).mul(flag)
          .add(tokenEntropy.mul(flag.neg().add(1f)));
    }
    double entropy = tokenEntropy.mul(maskArray).sum().getFloat();
    double clipped = out[1] == null ? 0 : out[1].toType(DataType.FLOAT32, false).getFloat();
    double kl = out[2] == null ? 0 : out[2].getFloat();
    return new double[] {out[0].getFloat(), clipped, entropy, kl};
  }

  private static long totalTrainable(List<RlSample> samples) {
    long n = 0;
    for (RlSample s : samples) {
      n += s.trainableCount();
    }
    return n;
  }

  private static void requireOldLogprobs(List<RlSample> samples) {
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i).oldLogprobs() == null) {
        throw new IllegalArgumentException("sample " + i + " has no old log-probabilities; RL steps need them");
      }
    }
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
