package dev.crl.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSpecLoaderTest {
  static final SpecContext CONTEXT = new SpecContext(
      Set.of("minihack-room", "minihack-maze", "webshop", "alfworld"),
      name -> "mix-3".equals(name)
          ? Optional.of(Map.of("minihack-room", 1.0, "webshop", 1.0, "alfworld", 1.0))
          : Optional.empty(),
      Set.of("mix-3"));

  private final RunSpecLoader loader = new RunSpecLoader(CONTEXT);

  private static final String MINIMAL = """
      name: t
      tasks:
        envs:
          - id: minihack-room
      """;

  @Test
  void minimalSpecTakesThePapersDefaults() {
    RunSpec spec = loader.parse(MINIMAL, "test");
    assertEquals(8, spec.algorithm().groupSize());
    assertEquals(0.5, spec.algorithm().guidedFraction());
    assertEquals(0.2, spec.algorithm().clipEps());
    assertEquals(1e-6, spec.algorithm().actorLr());
    assertEquals(0.1, spec.algorithm().cispoEpsLow());
    assertEquals(0.1, spec.algorithm().cispoEpsHigh());
    assertEquals(64, spec.algorithm().extractorBuffer());
    assertEquals(5, spec.algorithm().mergeEvery());
    assertEquals(20_000, spec.algorithm().bankCapacity());
    assertEquals(0.4, spec.algorithm().diversityLambda());
    assertEquals(0.99, spec.algorithm().actorSampling().temperature());
    assertEquals(100, spec.algorithm().actorSampling().topK());
    assertEquals("embedded", spec.backends().temporal().mode());
    assertEquals("local", spec.backends().objectStore().kind());
    assertEquals("normal", spec.models().embedder().lessonPriority());
  }

  @Test
  void lessonPriorityTakesBackgroundAndRejectsAnythingElse() {
    RunSpec spec = loader.parse(MINIMAL + """
        models:
          embedder:
            lesson_priority: background
        """, "background.yaml");
    assertEquals("background", spec.models().embedder().lessonPriority());
    SpecException e = assertThrows(SpecException.class, () -> loader.parse(MINIMAL + """
        models:
          embedder:
            lesson_priority: low
        """, "low.yaml"));
    assertEquals("models.embedder.lesson_priority", e.problems().get(0).field());
    assertTrue(e.getMessage().contains("background"), e.getMessage());
  }

  @Test
  void typoInAKeyNamesTheFieldAndSuggestsTheKnownKey() {
    SpecException e = assertThrows(SpecException.class, () -> loader.parse(MINIMAL + """
        algorithm:
          actor_lrr: 0.001
        """, "typo.yaml"));
    assertEquals("algorithm.actor_lrr", e.problems().get(0).field());
    assertTrue(e.getMessage().contains("did you mean 'actor_lr'"), e.getMessage());
    assertTrue(e.getMessage().contains("line 6"), e.getMessage());
  }

  @Test
  void negativeLearningRateIsRejectedWithTheAllowedRange() {
    SpecException e = assertThrows(SpecException.class, () -> loader.parse(MINIMAL + """
        algorithm:
          actor_lr: -0.001
        """, "neg.yaml"));
    assertEquals(1, e.problems().size());
    assertEquals("algorithm.actor_lr", e.problems().get(0).field());
    assertEquals("-0.001", e.problems().get(0).value());
    assertTrue(e.getMessage().contains("greater than 0"), e.getMessage());
  }

  @Test
  void unknownEnvironmentListsTheKnownOnes() {
    SpecException e = assertThrows(SpecException.class, () -> loader.parse("""
        tasks:
          envs:
            - id: minihack-rooom
        """, "env.yaml"));
    assertEquals("tasks.envs[0].id", e.problems().get(0).field());
    assertTrue(e.getMessage().contains("minihack-room"), e.getMessage());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    SpecException e = assertThrows(SpecException.class, () -> loader.parse("""
        tasks:
          mixture: mix-9
        algorithm:
          group_size: 1
          advantage_norm: median
        budget:
          iterations: 0
        backends:
          metrics:
            kind: mlflow
        """, "many.yaml"));
    Set<String> fields = Set.copyOf(e.problems().stream().map(SpecProblem::field).toList());
    assertEquals(Set.of("tasks.mixture", "algorithm.group_size", "algorithm.advantage_norm",
        "budget.iterations", "backends.metrics.tracking_uri"), fields);
  }

  @Test
  void wrongTypesAndQuotedNumbersAreErrors() {
    SpecException e = assertThrows(SpecException.class, () -> loader.parse(MINIMAL + """
        budget:
          iterations: "ten"
        """, "type.yaml"));
    assertEquals("budget.iterations", e.problems().get(0).field());
    assertTrue(e.getMessage().contains("an integer"), e.getMessage());
  }

  @Test
  void malformedYamlIsAClearError() {
    SpecException e = assertThrows(SpecException.class,
        () -> loader.parse("name: 'unterminated\ntasks: {", "broken.yaml"));
    assertTrue(e.getMessage().contains("well-formed YAML"), e.getMessage());
  }

  @Test
  void missingFileIsAClearError(@TempDir Path dir) {
    SpecException e = assertThrows(SpecException.class, () -> loader.load(dir.resolve("nope.yaml")));
    assertTrue(e.getMessage().contains("existing YAML file"), e.getMessage());
  }

  @Test
  void everyBundledPresetIsValid() {
    assertFalse(RunSpecLoader.presetNames().isEmpty());
    SpecContext all = new SpecContext(
        Set.of("minihack-room", "minihack-maze", "webshop", "alfworld"), CONTEXT.mixtures(), Set.of("mix-3"));
    RunSpecLoader presets = new RunSpecLoader(all);
    for (String name : RunSpecLoader.presetNames()) {
      RunSpec spec = presets.loadPreset(name);
      assertEquals(name, spec.name());
    }
  }

  @Test
  void unknownPresetNamesTheBundledOnes() {
    SpecException e = assertThrows(SpecException.class, () -> loader.loadPreset("room-huge"));
    assertTrue(e.getMessage().contains("room-tiny"), e.getMessage());
  }

  @Test
  void resolvedSpecRoundTripsThroughYaml(@TempDir Path dir) throws Exception {
    RunSpec spec = loader.loadPreset("room-tiny");
    Path file = dir.resolve("resolved.yaml");
    Files.writeString(file, RunSpecLoader.toYaml(spec));
    assertEquals(spec, loader.load(file));
  }

  @Test
  void flattenedSpecHidesSecrets() {
    RunSpec spec = loader.parse(MINIMAL + """
        backends:
          object_store:
            kind: s3
            endpoint: http://127.0.0.1:9000
            access_key: ak
            secret_key: topsecret
        """, "s3.yaml");
    Map<String, String> flat = RunSpecLoader.flatten(spec);
    assertEquals("****", flat.get("backends.object_store.secret_key"));
    assertEquals("0.2", flat.get("algorithm.clip_eps"));
  }

  @Test
  void environmentVariablesSwitchEachBackendIndependently() {
    RunSpec spec = loader.parse(MINIMAL, "env");
    RunSpec mlflowOnly = BackendOverrides.apply(spec, Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000"));
    assertEquals("mlflow", mlflowOnly.backends().metrics().kind());
    assertEquals("local", mlflowOnly.backends().objectStore().kind());
    assertEquals("embedded", mlflowOnly.backends().temporal().mode());
    RunSpec s3 = BackendOverrides.apply(spec, Map.of("CRL_S3_ENDPOINT", "http://127.0.0.1:9000",
        "AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b"));
    assertEquals("s3", s3.backends().objectStore().kind());
    assertEquals("a", s3.backends().objectStore().accessKey());
    assertEquals("embedded", s3.backends().vectorStore().kind());
  }
}
