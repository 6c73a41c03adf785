package dev.crl.activities.rollout;

import dev.crl.environments.Observation;
import dev.crl.learning.tokenizer.ChatTemplate;
import dev.crl.learning.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders what the actor sees at one turn: the task, the current observation, the available
 * actions and, for guided episodes, the retrieved experience.
 *
 * <p>Models with a chat template get the paper's framing as a chat (system and user messages,
 * answer inside {@code <answer>} tags). Tiny word-level models trained from scratch get the same
 * content as plain words, with line breaks as a {@code <nl>} word so the map's rows stay apart,
 * and a grid map as its agent-centred crop, one word per cell, followed by the eight neighbours
 * as words that join a direction and a cell ("east:&gt;"; see {@link MapCrop}).
 * Each turn shows the current observation only: episodes stay within a short context, which is
 * what lets a 2-core machine train on thousands of turns per iteration.
 */
public final class ActorPrompts {
  public static final String NEWLINE_WORD = "<nl>";
  /**
   * Cells on each side of the agent in a tiny model's map crop (5×5). The MiniHack rooms are dark:
   * the agent sees its eight neighbours, and two cells each side hold those plus the ring of cells
   * it remembers, which is what deciding between "step onto the stairs" and "explore" needs. A
   * small crop also keeps the prompts, and so the 2-core training steps, short.
   */
  static final int CROP_RADIUS = 2;
  private static final String SYSTEM = "You are an agent acting in a text environment. Read the task and the"
      + " observation, then reply with exactly one of the available actions inside <answer></answer>.";

  private ActorPrompts() {}

  /** The prompt as text, for a tokenizer with or without a chat template. */
  public static String render(Tokenizer tokenizer, Observation obs, String experience) {
    Optional<ChatTemplate> chat = tokenizer.chatTemplate();
    if (chat.isPresent()) {
      StringBuilder user = new StringBuilder();
      if (experience != null) {
        user.append("Relevant experience from earlier episodes:\n").append(experience).append("\n\n");
      }
      user.append(obs.render()).append("\nYour action:");
      return chat.get().render(List.of(new ChatTemplate.Message("system", SYSTEM),
          new ChatTemplate.Message("user", user.toString())), true);
    }
    return words(obs, experience);
  }

  /** The word-level rendering used by tiny models. */
  public static String words(Observation obs, String experience) {
    StringBuilder sb = new StringBuilder();
    if (experience != null) {
      sb.append("experience: ").append(MapCrop.withoutNeighbourWords(flatten(experience))).append(' ');
    }
    sb.append("goal: ").append(flatten(obs.goal())).append(' ');
    Optional<MapCrop.Split> map = MapCrop.split(obs.text(), CROP_RADIUS, NEWLINE_WORD);
    sb.append("observation: ").append(flatten(map.map(MapCrop.Split::rest).orElse(obs.text()))).append(' ');
    // Actions are numbered: the environments accept an action's number as an alias, so a model
    // with a word vocabulary can pick multi-word actions (ALFWorld, WebShop) with one token.
    sb.append("actions:");
    for (int i = 0; i < obs.availableActions().size(); i++) {
      sb.append(' ').append(i + 1).append(' ').append(flatten(obs.availableActions().get(i)));
    }
    map.ifPresent(m -> sb.append(" map: ").append(m.crop()).append(" near: ").append(m.neighbours()));
    sb.append(" answer:");
    return sb.toString();
  }

  /** The cell words of the map crop in a prompt rendered by {@link #words}, empty without a map. */
  public static Set<String> mapCells(String prompt) {
    Set<String> cells = new TreeSet<>();
    int from = prompt.lastIndexOf(" map: ");
    int to = prompt.lastIndexOf(" near: ");
    if (from >= 0 && to > from) {
      for (String word : prompt.substring(from + 6, to).split(" ")) {
        if (!word.isEmpty() && !word.equals(NEWLINE_WORD)) {
          cells.add(word);
        }
      }
    }
    return cells;
  }

  /**
   * Every neighbour word a tiny prompt can contain for map cells drawn with {@code cellWords}, so
   * that a vocabulary built from sampled episodes also covers the pairs those episodes missed.
   */
  public static List<String> neighbourWords(Collection<String> cellWords) {
    List<String> words = new ArrayList<>();
    for (String direction : MapCrop.DIRECTIONS) {
      for (String cell : cellWords) {
        words.add(MapCrop.neighbourWord(direction, cell));
      }
      words.add(MapCrop.neighbourWord(direction, MapCrop.UNSEEN));
    }
    return words;
  }

  private static String flatten(String text) {
    StringBuilder out = new StringBuilder();
    for (String word : text.strip().replace("\n", " " + NEWLINE_WORD + " ").split(" +")) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(isSymbols(word) ? String.join(" ", word.split("")) : word);
    }
    return out.toString();
  }

  /**
   * Map rows (".@|", "-->") are spelled out one symbol per word: a word-level model then sees
   * where the stairs are relative to the agent instead of memorising every possible row.
   */
  private static boolean isSymbols(String word) {
    return word.length() > 1 && !word.equals(NEWLINE_WORD) && word.chars().noneMatch(Character::isLetterOrDigit);
  }
}
