package dev.crl.environments;

import java.util.List;

/**
 * What the agent sees after a reset or a step.
 *
 * @param goal the task instruction, constant during an episode
 * @param text the current observation text (map, page, or room description)
 * @param availableActions the actions the environment accepts now, in a stable order
 */
public record Observation(String goal, String text, List<String> availableActions) {

  public Observation {
    goal = goal == null ? "" : goal;
    text = text == null ? "" : text;
    availableActions = availableActions == null ? List.of() : List.copyOf(availableActions);
  }

  /**
   * Renders goal, observation and the numbered available actions as one block, the form prompts use.
   * Actions are numbered from 1 because the action parser accepts those numbers as aliases.
   */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("Goal: ").append(goal).append('\n');
    sb.append(text);
    if (!text.endsWith("\n")) {
      sb.append('\n');
    }
    sb.append("Available actions:");
    for (int i = 0; i < availableActions.size(); i++) {
      sb.append(i == 0 ? " " : ", ").append(i + 1).append(". ").append(availableActions.get(i));
    }
    return sb.append('\n').toString();
  }
}
