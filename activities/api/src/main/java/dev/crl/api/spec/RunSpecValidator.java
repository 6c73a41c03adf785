package dev.crl.api.spec;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed spec for values that parse but make no sense (a negative learning rate, an
 * unknown environment, an S3 store without an endpoint). Every problem is collected so the user
 * sees them all at once; each names the field, the bad value and what is allowed.
 */
public final class RunSpecValidator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SIZE_PRESET = Pattern.compile("(tiny|small)(-(llama|qwen2|qwen3))?");
  private static final Set<String> MODES =
      Set.of("complementary", "grpo", "static_extractor", "experience_only");

  private final SpecContext context;
  private final List<SpecProblem> problems = new ArrayList<>();

  private RunSpecValidator(SpecContext context) {
    this.context = context;
  }

  /** Returns every problem of {@code spec}; an empty list means the spec is usable. */
  public static List<SpecProblem> validate(RunSpec spec, SpecContext context) {
    RunSpecValidator v = new RunSpecValidator(context);
    v.checkRun(spec);
    return List.copyOf(v.problems);
  }

  /** Returns every problem of an algorithm section alone (for hyperparameter changes). */
  public static List<SpecProblem> validateAlgorithm(AlgorithmSpec algorithm) {
    RunSpecValidator v = new RunSpecValidator(null);
    v.checkAlgorithm(algorithm);
    return List.copyOf(v.problems);
  }

  private void checkRun(RunSpec spec) {
    if (!NAME.matcher(spec.name()).matches()) {
      fail("name", spec.name(), "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    if (spec.hasCurriculum()) {
      int i = 0;
      for (CurriculumSpec.StageSpec stage : spec.curriculum().stages()) {
        String at = "curriculum.stages[" + i++ + "]";
        if (stage.name() == null || !NAME.matcher(stage.name()).matches()) {
          fail(at + ".name", stage.name(), "every stage needs a name of letters, digits, '.', '_' or '-'");
        }
        checkTasks(at + ".tasks", stage.tasks());
        atLeast(at + ".iterations", stage.iterations(), 1);
        within(at + ".promote_at", stage.promoteAt(), 0, 1);
        atLeast(at + ".max_attempts", stage.maxAttempts(), 1);
      }
    } else {
      checkTasks("tasks", spec.tasks());
    }
    checkModels(spec.models());
    checkAlgorithm(spec.algorithm());
    checkBudget(spec.budget());
    checkBackends(spec.backends());
  }

  private void checkTasks(String at, TasksSpec tasks) {
    if (tasks == null) {
      fail(at, null, "give a task mixture: 'mixture: <name>' or a list under 'envs'");
      return;
    }
    boolean named = tasks.mixture() != null;
    if (named == !tasks.envs().isEmpty()) {
      fail(at, named ? "mixture and envs" : null,
          "give exactly one of 'mixture' (" + String.join(", ", sorted(context.mixtureNames()))
              + ") or 'envs' (a list of {id, weight})");
    }
    if (named && context.mixtures().apply(tasks.mixture()).isEmpty()) {
      fail(at + ".mixture", tasks.mixture(),
          "known mixtures are " + String.join(", ", sorted(context.mixtureNames())));
    }
    for (int i = 0; i < tasks.envs().size(); i++) {
      TasksSpec.EnvWeight env = tasks.envs().get(i);
      if (!context.isEnvironment(env.id())) {
        fail(at + ".envs[" + i + "].id", env.id(), "known environments are "
            + String.join(", ", sorted(context.environmentIds())) + ", or remote:<http url>");
      }
      if (!(env.weight() > 0) || env.weight().isInfinite()) {
        fail(at + ".envs[" + i + "].weight", str(env.weight()), "a positive finite number");
      }
    }
    within(at + ".eval.episodes", tasks.eval().episodes(), 1, 100_000);
    if (tasks.eval().seedOffset() < 0) {
      fail(at + ".eval.seed_offset", str(tasks.eval().seedOffset()), "a non-negative seed");
    }
  }

  private void checkModels(ModelsSpec models) {
    checkModel("models.actor", models.actor());
    checkModel("models.extractor", models.extractor());
    ModelsSpec.EmbedderSpec e = models.embedder();
    oneOf("models.embedder.kind", e.kind(), Set.of("hashing", "minilm"));
    within("models.embedder.dim", e.dim(), 8, 8192);
    oneOf("models.embedder.lesson_priority", e.lessonPriority(), Set.of("normal", "background"));
    if ("minilm".equals(e.kind()) && e.dim() != 384) {
      fail("models.embedder.dim", str(e.dim()), "all-MiniLM-L6-v2 embeds into 384 dimensions");
    }
  }

  private void checkModel(String at, ModelsSpec.ModelSpec m) {
    oneOf(at + ".kind", m.kind(), Set.of("tiny", "pretrained"));
    if ("tiny".equals(m.kind()) && (m.preset() == null || !SIZE_PRESET.matcher(m.preset()).matches())) {
      fail(at + ".preset", m.preset(), "a size preset: tiny (2 layers, width 128) or small (4 layers, width 256), optionally with -qwen2 or -qwen3");
    }
    if ("pretrained".equals(m.kind()) && (m.path() == null || m.path().isBlank())) {
      fail(at + ".path", m.path(), "a Hugging Face model directory or a .gguf file");
    }
    within(at + ".warm_start_steps", m.warmStartSteps(), 0, 1_000_000);
  }

  private void checkAlgorithm(AlgorithmSpec a) {
    String at = "algorithm.";
    within(at + "group_size", a.groupSize(), 2, 1024);
    within(at + "guided_fraction", a.guidedFraction(), 0, 1);
    oneOf(at + "advantage_norm", a.advantageNorm(), Set.of("mean_std", "mean"));
    openClosed(at + "clip_eps", a.clipEps(), 0, 1);
    if (a.klCoef() == null || a.klCoef() != 0.0) {
      fail(at + "kl_coef", str(a.klCoef()), "0 (the paper trains without a KL term; the KL penalty"
          + " needs reference log-probabilities the trainer does not compute yet)");
    }
    openClosed(at + "actor_lr", a.actorLr(), 0, 1);
    openClosed(at + "extractor_lr", a.extractorLr(), 0, 1);
    openClosed(at + "cispo_eps_low", a.cispoEpsLow(), 0, 1);
    openClosed(at + "cispo_eps_high", a.cispoEpsHigh(), 0, 10);
    openClosed(at + "max_grad_norm", a.maxGradNorm(), 0, 1e6);
    within(at + "extractor_buffer", a.extractorBuffer(), 1, 1_000_000);
    within(at + "merge_every", a.mergeEvery(), 0, 1_000_000);
    within(at + "merge_chunk", a.mergeChunk(), 2, 1000);
    within(at + "bank_capacity", a.bankCapacity(), 1, 100_000_000);
    within(at + "retrieval_top_k", a.retrievalTopK(), 1, 100);
    within(at + "retrieval_warmup_steps", a.retrievalWarmupSteps(), 0, 1_000_000);
    within(at + "diversity_lambda", a.diversityLambda(), 0, 100);
    within(at + "recency_window_seconds", a.recencyWindowSeconds(), 0, 1e7);
    within(at + "oversampling", a.oversampling(), 1, 1024);
    within(at + "recent_demote_prob", a.recentDemoteProb(), 0, 1);
    within(at + "train_cooldown_steps", a.trainCooldownSteps(), 0, 1_000_000);
    within(at + "train_count_alpha", a.trainCountAlpha(), 0, 100);
    openClosed(at + "actor_sampling.temperature", a.actorSampling().temperature(), 0, 10);
    openClosed(at + "actor_sampling.top_p", a.actorSampling().topP(), 0, 1);
    within(at + "actor_sampling.top_k", a.actorSampling().topK(), 0, 1_000_000);
    openClosed(at + "extractor_temperature", a.extractorTemperature(), 0, 10);
    within(at + "minibatches", a.minibatches(), 1, 1024);
    within(at + "format_penalty", a.formatPenalty(), 0, 100);
    within(at + "turn_discount", a.turnDiscount(), 0, 1);
    within(at + "actor_kl_stop", a.actorKlStop(), 0, 100);
    oneOf(at + "actor_lr_schedule", a.actorLrSchedule(), Set.of("constant", "cosine"));
    within(at + "actor_lr_warmup_steps", a.actorLrWarmupSteps(), 0, 1_000_000);
    oneOf(at + "mode", a.mode(), MODES);
  }

  private void checkBudget(BudgetSpec b) {
    within("budget.iterations", b.iterations(), 1, 10_000_000);
    within("budget.tasks_per_iteration", b.tasksPerIteration(), 1, 100_000);
    within("budget.max_turns", b.maxTurns(), 1, 10_000);
    within("budget.max_new_tokens", b.maxNewTokens(), 1, 32_768);
    within("budget.checkpoint_every", b.checkpointEvery(), 1, 10_000_000);
    within("budget.eval_every", b.evalEvery(), 0, 10_000_000);
    within("budget.wall_clock_minutes", b.wallClockMinutes(), 0, 1e7);
  }

  private void checkBackends(BackendsSpec b) {
    BackendsSpec.TemporalBackend t = b.temporal();
    oneOf("backends.temporal.mode", t.mode(), Set.of("embedded", "cluster"));
    if ("cluster".equals(t.mode()) && (t.address() == null || !t.address().matches("[^:/\\s]+:\\d{1,5}"))) {
      fail("backends.temporal.address", t.address(), "host:port of the Temporal frontend, e.g. temporal:7233");
    }
    if ((t.tlsCert() == null) != (t.tlsKey() == null)) {
      fail("backends.temporal.tls_key", t.tlsKey(), "tls_cert and tls_key are given together or not at all");
    }
    if (!NAME.matcher(t.taskQueuePrefix()).matches()) {
      fail("backends.temporal.task_queue_prefix", t.taskQueuePrefix(), "letters, digits, '.', '_' or '-'");
    }
    BackendsSpec.ObjectStoreBackend o = b.objectStore();
    oneOf("backends.object_store.kind", o.kind(), Set.of("local", "s3"));
    if ("s3".equals(o.kind())) {
      httpUrl("backends.object_store.endpoint", o.endpoint());
      if (!o.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        fail("backends.object_store.bucket", o.bucket(), "an S3 bucket name: 3-63 lowercase letters, digits, '.' or '-'");
      }
    }
    BackendsSpec.VectorStoreBackend v = b.vectorStore();
    oneOf("backends.vector_store.kind", v.kind(), Set.of("embedded", "exact", "qdrant"));
    if ("qdrant".equals(v.kind())) {
      httpUrl("backends.vector_store.url", v.url());
    }
    BackendsSpec.MetricsBackend m = b.metrics();
    oneOf("backends.metrics.kind", m.kind(), Set.of("local", "mlflow"));
    if ("mlflow".equals(m.kind())) {
      httpUrl("backends.metrics.tracking_uri", m.trackingUri());
    }
  }

  private void httpUrl(String field, String value) {
    try {
      URI uri = value == null ? null : URI.create(value);
      if (uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return;
      }
    } catch (IllegalArgumentException malformed) {
      // Reported below like any other unusable value.
    }
    fail(field, value, "an http:// or https:// URL with a host");
  }

  private void oneOf(String field, String value, Set<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      fail(field, value, "one of " + String.join(", ", sorted(allowed)));
    }
  }

  private void atLeast(String field, Integer value, int min) {
    if (value == null || value < min) {
      fail(field, str(value), "an integer >= " + min);
    }
  }

  private void within(String field, Number value, double min, double max) {
    if (value == null || Double.isNaN(value.doubleValue())
        || value.doubleValue() < min || value.doubleValue() > max) {
      fail(field, str(value), "a number from " + fmt(min) + " to " + fmt(max));
    }
  }

  private void openClosed(String field, Double value, double min, double max) {
    if (value == null || Double.isNaN(value) || value <= min || value > max) {
      fail(field, str(value), "a number greater than " + fmt(min) + " and at most " + fmt(max));
    }
  }

  private void fail(String field, String value, String allowed) {
    problems.add(new SpecProblem(field, value, allowed));
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }

}
