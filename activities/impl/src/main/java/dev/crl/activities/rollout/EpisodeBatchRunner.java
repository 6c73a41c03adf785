package dev.crl.activities.rollout;

import dev.crl.activities.PromptBudget;
import dev.crl.environments.EnvironmentRegistry;
import dev.crl.environments.Observation;
import dev.crl.environments.StepResult;
import dev.crl.environments.TextEnvironment;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Plays many episodes in lockstep: every turn, the prompts of all unfinished episodes go to the
 * actor as one batch (KV-cache sampling with left padding), and each answer goes to its own
 * environment. Plain library code: no Temporal, testable on its own.
 */
public final class EpisodeBatchRunner {
  private final PolicyModel actor;
  private final SamplingParams sampling;
  private final int maxTurns;
  private final boolean maskActions;

  /**
   * @param actor the policy
   * @param sampling sampling settings of every turn
   * @param maxTurns environment steps per episode
   * @param maskActions restrict each answer to one available action (word-level tiny models;
   *     see {@link ActionChoiceConstraint})
   */
  public EpisodeBatchRunner(PolicyModel actor, SamplingParams sampling, int maxTurns, boolean maskActions) {
    this.actor = actor;
    this.sampling = sampling;
    this.maxTurns = maxTurns;
    this.maskActions = maskActions;
  }

  /**
   * Plays the episodes to the end.
   *
   * @param seed sampling seed (the same seed, model and episodes give the same trajectories)
   * @param onTurn called after each batched turn with the number of episodes still running, so
   *     a caller can heartbeat
   */
  public List<Trajectory> play(List<EpisodeSpec> episodes, long seed, IntConsumer onTurn) {
    int n = episodes.size();
    TextEnvironment[] envs = new TextEnvironment[n];
    Observation[] current = new Observation[n];
    List<List<Turn>> turns = new ArrayList<>();
    boolean[] done = new boolean[n];
    boolean[] success = new boolean[n];
    double[] envReturn = new double[n];
    int[] invalid = new int[n];
    String[] firstObs = new String[n];
    try {
      for (int i = 0; i < n; i++) {
        EpisodeSpec e = episodes.get(i);
        envs[i] = EnvironmentRegistry.create(e.env(), maxTurns);
        current[i] = envs[i].reset(e.seed());
        firstObs[i] = current[i].text();
        turns.add(new ArrayList<>());
      }
      for (int turn = 0; turn < maxTurns; turn++) {
        List<Integer> active = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        List<SamplingParams> params = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (!done[i]) {
            active.add(i);
            prompts.add(fit(actor.tokenizer().encode(
                ActorPrompts.render(actor.tokenizer(), current[i], episodes.get(i).experienceText()))));
            params.add(maskActions
                ? sampling.withConstraint(ActionChoiceConstraint.forActions(current[i].availableActions(), actor.tokenizer()))
                : sampling);
          }
        }
        if (active.isEmpty()) {
          break;
        }
        List<Generation> out = actor.generate(prompts, params, seed * 1_000_003L + turn);
        for (int j = 0; j < active.size(); j++) {
          int i = active.get(j);
          Generation g = out.get(j);
          // The generator cuts the text before a stop sequence; "</answer>" belongs to the answer.
          String action = (g.finishReason() == Generation.FinishReason.STOP_SEQUENCE && !sampling.stopSequences().isEmpty()
              ? g.text() + sampling.stopSequences().get(0) : g.text()).strip();
          StepResult r = envs[i].step(action);
          envReturn[i] += r.reward();
          if (r.invalidAction()) {
            invalid[i]++;
          }
          turns.get(i).add(new Turn(prompts.get(j), g.tokens(), g.logprobs(), action, r.reward(),
              r.invalidAction(), firstLine(r.info().getOrDefault("message", "")), g.allowedTokens()));
          current[i] = r.observation();
          if (r.success()) {
            success[i] = true;
          }
          if (r.done() || turns.get(i).size() >= maxTurns) {
            done[i] = true;
          }
        }
        onTurn.accept((int) java.util.stream.IntStream.range(0, n).filter(i -> !done[i]).count());
      }
    } finally {
      for (TextEnvironment env : envs) {
        if (env != null) {
          try {
            env.close();
          } catch (Exception ignored) {
            // Closing a local environment cannot fail in a way that matters to the result.
          }
        }
      }
    }
    List<Trajectory> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      EpisodeSpec e = episodes.get(i);
      double reward = envReturn[i];
      result.add(new Trajectory(e.episodeId(), e.env(), e.seed(), e.group(), e.guided(),
          e.experienceId(), e.experienceText(), current[i].goal(), firstObs[i], turns.get(i),
          success[i], envReturn[i], reward, invalid[i]));
    }
    return result;
  }

  /** Keeps a prompt within the model's context (see {@link PromptBudget#keepTail}). */
  private int[] fit(int[] prompt) {
    return PromptBudget.keepTail(prompt, actor.config().maxPositions() - sampling.maxNewTokens());
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
