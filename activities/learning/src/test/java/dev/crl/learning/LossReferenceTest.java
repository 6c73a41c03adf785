package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.learning.rl.GrpoConfig;
import dev.crl.learning.rl.LossFunctions;
import java.io.InputStream;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GRPO, CISPO and cross-entropy losses and their gradients with respect to the logits must match
 * a plain PyTorch implementation (fixtures from tools/make_reference_fixtures.py) within 1e-5.
 */
class LossReferenceTest {
  private static JsonNode data;

  @BeforeAll
  static void load() throws Exception {
    TorchThreads.configureOnce();
    try (InputStream in = LossReferenceTest.class.getResourceAsStream("/reference/losses.json")) {
      data = new ObjectMapper().readTree(in);
    }
  }

  private interface Loss {
    NDArray apply(NDArray logprobs, NDArray old, NDArray mask, NDArray adv, NDArray weights, double tokens, double weightSum);
  }

  @Test
  void grpoSequenceMean() {
    check("grpo_sequence_mean", (lp, old, mask, adv, w, tokens, wsum) -> LossFunctions.grpo(
        lp, old, mask, adv, w, data.get("grpo_epsilon").asDouble(), GrpoConfig.Aggregation.SEQUENCE_MEAN, wsum));
  }

  @Test
  void grpoTokenMean() {
    check("grpo_token_mean", (lp, old, mask, adv, w, tokens, wsum) -> LossFunctions.grpo(
        lp, old, mask, adv, w, data.get("grpo_epsilon").asDouble(), GrpoConfig.Aggregation.TOKEN_MEAN,
        weightedTokens(mask, w)));
  }

  @Test
  void grpoSequenceMeanWithKlPenalty() {
    try (NDManager m = NDManager.newBaseManager()) {
      JsonNode refJson = data.get("ref_logprobs");
      NDArray ref = m.create(flat2(refJson), new Shape(refJson.size(), refJson.get(0).size()));
      check("grpo_sequence_mean_kl", (lp, old, mask, adv, w, tokens, wsum) -> LossFunctions.grpo(
          lp, old, ref, data.get("kl_coefficient").asDouble(), mask, adv, w, data.get("grpo_epsilon").asDouble(),
          GrpoConfig.Aggregation.SEQUENCE_MEAN, wsum));
    }
  }

  @Test
  void cispo() {
    check("cispo", (lp, old, mask, adv, w, tokens, wsum) -> LossFunctions.cispo(
        lp, old, mask, adv, w, data.get("cispo_epsilon_low").asDouble(), data.get("cispo_epsilon_high").asDouble(), tokens));
  }

  @Test
  void crossEntropy() {
    check("cross_entropy", (lp, old, mask, adv, w, tokens, wsum) -> LossFunctions.crossEntropy(lp, mask, w, tokens));
  }

  private static double weightedTokens(NDArray mask, NDArray w) {
    return mask.sum(new int[] {1}).mul(w).sum().getFloat();
  }

  private void check(String name, Loss loss) {
    JsonNode logitsJson = data.get("logits");
    int b = logitsJson.size();
    int t = logitsJson.get(0).size();
    int v = logitsJson.get(0).get(0).size();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(flat3(logitsJson), new Shape(b, t, v));
      logits.setRequiresGradient(true);
      NDArray targets = m.create(flatLong(data.get("targets")), new Shape(b, t));
      NDArray mask = m.create(flat2(data.get("mask")), new Shape(b, t));
      NDArray old = m.create(flat2(data.get("old_logprobs")), new Shape(b, t));
      NDArray adv = m.create(flat1(data.get("advantages")));
      NDArray w = m.create(flat1(data.get("weights")));
      double tokens = mask.sum().getFloat();
      double weightSum = w.sum().getFloat();
      boolean previous = JniUtils.isGradMode();
      NDArray value;
      try {
        JniUtils.setGradMode(true);
        NDArray lp = logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
        value = loss.apply(lp, old, mask, adv, w, tokens, weightSum);
        JniUtils.backward((PtNDArray) value, (PtNDArray) value.onesLike(), false, false);
      } finally {
        JniUtils.setGradMode(previous);
      }
      JsonNode expected = data.get("cases").get(name);
      double lossDiff = Math.abs(value.getFloat() - expected.get("loss").asDouble());
      float[] grad = logits.getGradient().toFloatArray();
      float[] want = flat3(expected.get("grad"));
      double gradDiff = 0;
      for (int i = 0; i < grad.length; i++) {
        gradDiff = Math.max(gradDiff, Math.abs(grad[i] - want[i]));
      }
      System.out.printf("%s: |loss diff| %.2e, max |grad diff| %.2e%n", name, lossDiff, gradDiff);
      assertTrue(lossDiff <= 1e-5, name + " loss differs by " + lossDiff);
      assertTrue(gradDiff <= 1e-5, name + " gradient differs by " + gradDiff);
    }
  }

  private static float[] flat1(JsonNode n) {
    float[] out = new float[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) n.get(i).asDouble();
    }
    return out;
  }

  private static float[] flat2(JsonNode n) {
    int b = n.size();
    int t = n.get(0).size();
    float[] out = new float[b * t];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        out[i * t + j] = (float) n.get(i).get(j).asDouble();
      }
    }
    return out;
  }

  private static long[] flatLong(JsonNode n) {
    float[] f = flat2(n);
    long[] out = new long[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = (long) f[i];
    }
    return out;
  }

  private static float[] flat3(JsonNode n) {
    int b = n.size();
    int t = n.get(0).size();
    int v = n.get(0).get(0).size();
    float[] out = new float[b * t * v];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        for (int k = 0; k < v; k++) {
          out[(i * t + j) * v + k] = (float) n.get(i).get(j).get(k).asDouble();
        }
      }
    }
    return out;
  }
}
