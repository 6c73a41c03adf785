package dev.crl.activities.training;

import dev.crl.activities.experience.EpisodeSummaries;
import dev.crl.activities.rollout.ActorPrompts;
import dev.crl.activities.rollout.Trajectory;
import dev.crl.activities.rollout.Turn;
import dev.crl.environments.EnvironmentRegistry;
import dev.crl.environments.ExpertPolicies;
import dev.crl.environments.Observation;
import dev.crl.environments.StepResult;
import dev.crl.environments.TextEnvironment;
import dev.crl.environments.TextPolicy;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the shared word vocabulary of a run's tiny actor and extractor: every word their prompts
 * and answers can contain, collected by playing the run's environments with a random and an
 * expert policy, rendering the actor's prompts and the extractor's prompts and lessons, and
 * reading the extractor's prompt templates. Deterministic for a given list of environments.
 */
public final class TinyVocabulary {
  private static final String[] TEMPLATES = {"consolidation.txt", "lesson-item.txt", "no-lessons.txt", "merge.txt"};
  private static final int EPISODES_PER_POLICY = 40;

  private TinyVocabulary() {}

  /** Plays the environments and returns the vocabulary together with the episodes it played. */
  public static Built build(List<String> envIds, int maxTurns) {
    List<String> texts = new ArrayList<>();
    List<Trajectory> episodes = new ArrayList<>();
    for (String env : envIds) {
      for (int i = 0; i < EPISODES_PER_POLICY; i++) {
        episodes.add(play(env, i, ExpertPolicies.random(i), maxTurns, texts));
        episodes.add(play(env, EPISODES_PER_POLICY + i, ExpertPolicies.forEnvironment(env), maxTurns, texts));
      }
    }
    for (Trajectory t : episodes) {
      texts.add(EpisodeSummaries.interaction(t));
      String[] lesson = EpisodeSummaries.lesson(t);
      texts.add(EpisodeSummaries.addResponse(lesson[0], lesson[1]));
      texts.add(ActorPrompts.words(new Observation(t.goal(), "", List.of()), lesson[1]));
    }
    for (String template : TEMPLATES) {
      texts.add(template(template));
    }
    // The episodes above meet most (direction, cell) pairs of the neighbour words, not all of them.
    Set<String> cells = new TreeSet<>();
    texts.forEach(text -> cells.addAll(ActorPrompts.mapCells(text)));
    texts.add(String.join(" ", ActorPrompts.neighbourWords(cells)));
    texts.add("success failure solved not (rejected) " + ActorPrompts.NEWLINE_WORD + " <think> </think>");
    for (int n = 0; n <= 256; n++) {
      texts.add(Integer.toString(n));
    }
    return new Built(WordTokenizer.fromTexts(texts), episodes);
  }

  /** The vocabulary and the episodes played to build it (reused to warm-start the extractor). */
  public record Built(WordTokenizer tokenizer, List<Trajectory> episodes) {}

  private static Trajectory play(String envId, long seed, TextPolicy policy, int maxTurns, List<String> texts) {
    try (TextEnvironment env = EnvironmentRegistry.create(envId, maxTurns)) {
      policy.reset();
      Observation obs = env.reset(seed);
      String first = obs.text();
      texts.add(ActorPrompts.words(obs, null));
      List<Turn> turns = new ArrayList<>();
      boolean success = false;
      double ret = 0;
      int invalid = 0;
      for (int step = 0; step < maxTurns; step++) {
        String action = policy.act(obs);
        StepResult r = env.step(action);
        ret += r.reward();
        invalid += r.invalidAction() ? 1 : 0;
        turns.add(new Turn(new int[0], new int[0], new float[0], action, r.reward(), r.invalidAction(), ""));
        obs = r.observation();
        texts.add(ActorPrompts.words(obs, null));
        texts.add(action);
        success |= r.success();
        if (r.done()) {
          break;
        }
      }
      return new Trajectory("vocab-" + envId + "-" + seed, envId, seed, 0, false, null, null,
          obs.goal(), first, turns, success, ret, ret, invalid);
    } catch (Exception e) {
      throw new IllegalStateException("cannot play " + envId + " to build the vocabulary: " + e.getMessage(), e);
    }
  }

  private static String template(String name) {
    String path = "dev/crl/experience/prompts/" + name;
    try (InputStream in = TinyVocabulary.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing prompt template " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
