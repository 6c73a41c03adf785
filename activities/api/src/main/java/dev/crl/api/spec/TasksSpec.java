package dev.crl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The task mixture a run trains on: either a named mixture ({@code mix-3}, {@code mix-6}) or an
 * explicit list of environments with sampling weights, plus the evaluation set.
 *
 * @param mixture name of a bundled mixture; mutually exclusive with {@code envs}
 * @param envs explicit environments and weights
 * @param eval evaluation settings
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TasksSpec(String mixture, List<EnvWeight> envs, EvalSpec eval) {
  public TasksSpec {
    envs = envs == null ? List.of() : List.copyOf(envs);
    eval = eval == null ? new EvalSpec(null, null) : eval;
  }

  /** One environment of the mixture and its relative sampling weight. */
  public record EnvWeight(String id, Double weight) {
    public EnvWeight {
      weight = weight == null ? 1.0 : weight;
    }
  }

  /**
   * Evaluation settings.
   *
   * @param episodes episodes per task in each evaluation
   * @param seedOffset first seed of the held-out evaluation range
   */
  public record EvalSpec(Integer episodes, Long seedOffset) {
    public EvalSpec {
      episodes = episodes == null ? 32 : episodes;
      seedOffset = seedOffset == null ? 1_000_000L : seedOffset;
    }
  }
}
