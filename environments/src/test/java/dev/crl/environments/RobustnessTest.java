package dev.crl.environments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Determinism, fuzzing with adversarial actions, golden renderings, parser aliases. */
class RobustnessTest {

  static final String[] IDS = {"minihack-room", "minihack-maze", "minihack-keyroom",
      "minihack-river", "sokoban", "webshop", "alfworld"};

  @ParameterizedTest
  @ValueSource(strings = {"minihack-room", "minihack-maze", "minihack-keyroom", "minihack-river",
      "sokoban", "webshop", "alfworld"})
  void sameSeedAndActionsGiveByteIdenticalObservations(String id) {
    for (long seed : new long[] {0, 1, 42, -5, Long.MAX_VALUE}) {
      assertEquals(transcript(id, seed), transcript(id, seed), id + " seed " + seed);
    }
    org.junit.jupiter.api.Assertions.assertNotEquals(transcript(id, 1), transcript(id, 2),
        id + ": different seeds should give different episodes");
  }

  /** Plays a fixed mix of random-available and junk actions and records every observation. */
  private static String transcript(String id, long seed) {
    TextEnvironment env = EnvironmentRegistry.create(id);
    SplittableRandom rng = new SplittableRandom(99);
    Observation obs = env.reset(seed);
    StringBuilder sb = new StringBuilder(obs.render());
    TextPolicy random = ExpertPolicies.random(7);
    for (int i = 0; i < env.maxSteps(); i++) {
      StepResult r = env.step(rng.nextInt(5) == 0 ? "junk " + i : random.act(obs));
      obs = r.observation();
      sb.append(obs.render()).append(r.reward()).append(r.done()).append('\n');
      if (r.done()) {
        break;
      }
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"minihack-room", "minihack-maze", "minihack-keyroom", "minihack-river",
      "sokoban", "webshop", "alfworld"})
  void fuzzedActionsNeverThrowAndInvalidOnesChangeNothing(String id) {
    int perFamily = 100_000 / IDS.length + 1;
    SplittableRandom rng = new SplittableRandom(id.hashCode());
    LocalEnvironment env = (LocalEnvironment) EnvironmentRegistry.create(id, 1_000_000);
    env.reset(3);
    int invalid = 0;
    for (int i = 0; i < perFamily; i++) {
      String action = adversarial(rng, env.availableActions());
      String before = env.stateKey();
      StepResult r = env.step(action);
      assertNotNull(r.observation());
      if (r.invalidAction()) {
        invalid++;
        assertEquals(before, env.stateKey(), id + ": invalid action changed the state: " + action);
        assertTrue(r.info().containsKey("invalid_action"));
      }
      if (r.done()) {
        env.reset(i);
      }
    }
    assertTrue(invalid > perFamily / 4, id + ": the fuzzer produced too few invalid actions");
  }

  private static final String[] NASTY = {"", " ", "\n\n", "<answer>", "</answer>",
      "<answer></answer>", "<answer><answer>north</answer>", "null", "-1", "0", "999999",
      "99999999999999999999", "search[", "click[", "click[]", "search[]", "]]]", "\u0000",
      "\uD83D\uDE00", "north; south", "NORTH!!!", "'", "\"\"", "%s%n", "${jndi:x}", "\\",
      "take apple 1 from", "put in/on", "go to", "click[buy now", "<answer>1</answer>",
      "   <ANSWER>  West </ANSWER>  "};

  static String adversarial(SplittableRandom rng, List<String> available) {
    switch (rng.nextInt(6)) {
      case 0:
        return NASTY[rng.nextInt(NASTY.length)];
      case 1: {
        StringBuilder sb = new StringBuilder();
        int n = rng.nextInt(40);
        for (int i = 0; i < n; i++) {
          sb.append((char) rng.nextInt(0x3000));
        }
        return sb.toString();
      }
      case 2:
        return "x".repeat(rng.nextInt(20_000));
      case 3:
        return available.isEmpty() ? "" : "<answer>" + available.get(rng.nextInt(available.size()))
            .toUpperCase() + "</answer>";
      case 4:
        return Integer.toString(rng.nextInt(60) - 10);
      default:
        return available.isEmpty() ? "" : available.get(rng.nextInt(available.size()))
            + (rng.nextBoolean() ? "" : "zz");
    }
  }

  @Test
  void goldenRenderingsArePinned() throws IOException {
    Path dir = Path.of("src/test/resources/golden");
    boolean update = Boolean.getBoolean("golden.update");
    List<String> mismatches = new ArrayList<>();
    for (String id : IDS) {
      TextEnvironment env = EnvironmentRegistry.create(id);
      StringBuilder sb = new StringBuilder(env.reset(7).render());
      TextPolicy expert = ExpertPolicies.forEnvironment(id);
      expert.reset();
      Observation o = env.reset(7);
      for (int i = 0; i < 3; i++) {
        String a = expert.act(o);
        StepResult r = env.step(a);
        o = r.observation();
        sb.append("\n>>> ").append(a).append('\n').append(o.render());
        if (r.done()) {
          break;
        }
      }
      Path file = dir.resolve(id + ".txt");
      if (update) {
        Files.createDirectories(dir);
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
      } else if (!Files.readString(file, StandardCharsets.UTF_8).equals(sb.toString())) {
        mismatches.add(id);
      }
    }
    assertEquals(List.of(), mismatches, "renderings changed; if intended, rerun with"
        + " -Dgolden.update=true and review the diff of src/test/resources/golden");
  }

  @Test
  void parserAcceptsTagsAliasesIndicesAndReportsErrors() {
    List<String> avail = List.of("north", "east", "south", "west");
    java.util.Map<String, String> aliases = java.util.Map.of("n", "north", "e", "east");
    assertEquals("north", ActionParser.resolve("<answer> N </answer>", avail, aliases).action());
    assertEquals("east", ActionParser.resolve("think... <answer>west</answer> no wait"
        + " <answer>EAST</answer>", avail, aliases).action());
    assertEquals("south", ActionParser.resolve("3", avail, aliases).action());
    assertEquals("west", ActionParser.resolve("  \"West.\" ", avail, aliases).action());
    ActionParser.Resolution bad = ActionParser.resolve("fly", avail, aliases);
    assertFalse(bad.valid());
    assertTrue(bad.error().contains("fly"));
    assertFalse(ActionParser.resolve("9", avail, aliases).valid());
    assertFalse(ActionParser.resolve(null, avail, aliases).valid());
  }

  @Test
  void alfworldSplitsAreDisjointAndEvalIsPlayable() {
    java.util.Set<Integer> eval = new java.util.HashSet<>();
    int wins = 0;
    for (long seed = 0; seed < dev.crl.environments.alfworld.AlfWorldEnvironment.EVAL_INSTANCES;
        seed++) {
      var env = (dev.crl.environments.alfworld.AlfWorldEnvironment)
          EnvironmentRegistry.create("alfworld-eval");
      StepResult r = ExpertPolicies.runEpisode(env, ExpertPolicies.forEnvironment("alfworld-eval"),
          seed);
      eval.add(env.instance());
      if (r.success()) {
        wins++;
      }
    }
    assertEquals(134, eval.size(), "134 distinct evaluation instances");
    var train = (dev.crl.environments.alfworld.AlfWorldEnvironment)
        EnvironmentRegistry.create("alfworld");
    for (long seed = 0; seed < 1466; seed += 97) {
      train.reset(seed);
      assertFalse(eval.contains(train.instance()), "instance in both splits");
    }
    train.reset(1466);
    assertEquals(0, train.instance(), "training seeds wrap around the 1,466 instances");
    assertTrue(wins >= 0.95 * 134, "expert on the evaluation split: " + wins);
  }

  @Test
  void registryAndMixtures() {
    assertTrue(EnvironmentRegistry.ids().containsAll(List.of(IDS)));
    assertTrue(EnvironmentRegistry.isKnown("remote:http://127.0.0.1:1234"));
    assertFalse(EnvironmentRegistry.isKnown("remote:ftp://x"));
    assertFalse(EnvironmentRegistry.isKnown("nethack"));
    EnvironmentException e = org.junit.jupiter.api.Assertions.assertThrows(
        EnvironmentException.class, () -> EnvironmentRegistry.create("nethack"));
    assertTrue(e.getMessage().contains("minihack-room"));
    assertEquals(List.of("minihack-room", "webshop", "alfworld"),
        List.copyOf(TaskMixtures.get("mix-3").orElseThrow().keySet()));
    assertEquals(6, TaskMixtures.get("mix-6").orElseThrow().size());
    assertEquals(1.0, TaskMixtures.get("mix-6").orElseThrow().values().stream()
        .mapToDouble(Double::doubleValue).sum(), 1e-9);
    for (String id : TaskMixtures.get("mix-6").orElseThrow().keySet()) {
      assertTrue(EnvironmentRegistry.isKnown(id), id);
    }
  }
}
