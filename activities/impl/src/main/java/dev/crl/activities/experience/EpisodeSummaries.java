package dev.crl.activities.experience;

import dev.crl.activities.rollout.Trajectory;
import dev.crl.activities.rollout.Turn;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Text views of a finished episode for the extractor: the compact interaction it reads, and the
 * programmatic lesson a tiny extractor is warm-started to write (the stand-in for a pretrained
 * LLM's ability to summarise an episode; see docs/architecture.md). Everything is plain words
 * separated by single spaces, so a word-level tokenizer reproduces it exactly.
 */
public final class EpisodeSummaries {
  /** Actions shown to the extractor, from the end of the episode. */
  static final int MAX_ACTIONS_SHOWN = 30;

  private EpisodeSummaries() {}

  /** The interaction as the extractor reads it: numbered actions, rejected ones marked. */
  public static String interaction(Trajectory t) {
    List<Turn> turns = t.turns();
    int from = Math.max(0, turns.size() - MAX_ACTIONS_SHOWN);
    StringBuilder sb = new StringBuilder("environment ").append(t.env()).append(" ; actions :");
    for (int i = from; i < turns.size(); i++) {
      Turn turn = turns.get(i);
      sb.append(' ').append(i + 1).append(' ').append(words(turn.action()));
      if (turn.invalid()) {
        sb.append(" (rejected)");
      }
      sb.append(" ;");
    }
    sb.append(" result : ").append(t.success() ? "solved" : "not solved")
        .append(" after ").append(turns.size()).append(" steps");
    return sb.toString();
  }

  /** The lesson a competent summariser would draw from the episode. */
  public static String[] lesson(Trajectory t) {
    Map<String, Long> counts = t.turns().stream().filter(x -> !x.invalid())
        .map(x -> words(x.action()))
        .collect(Collectors.groupingBy(a -> a, LinkedHashMap::new, Collectors.counting()));
    List<String> frequent = counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .map(Map.Entry::getKey).limit(3).toList();
    String env = t.env();
    if (t.success()) {
      String title = "solve " + env + " quickly";
      String content = "in " + env + " the task was solved in " + t.turns().size() + " steps ."
          + (frequent.isEmpty() ? "" : " useful actions : " + String.join(" , ", frequent) + " .")
          + " if the target is in view move toward it ; otherwise explore cells you have not seen .";
      return new String[] {title, content};
    }
    String title = "avoid failing " + env;
    String content = "in " + env + " the task failed after " + t.turns().size() + " steps with "
        + t.invalidActions() + " rejected actions ."
        + (frequent.isEmpty() ? " choose one of the listed actions ."
            : " repeating " + frequent.get(0) + " did not help .")
        + " pick a listed action and explore new directions .";
    return new String[] {title, content};
  }

  /** The warm-start target: one add operation with the episode's lesson. */
  public static String addResponse(String title, String content) {
    return "<answer>[{\"option\": \"add\", \"new_memory\": \"<title>" + title + "</title><content>"
        + content + "</content>\"}]</answer>";
  }

  /** Lower-cases and strips characters that would break the JSON answer or the word split. */
  static String words(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[\"\\\\<>]", " ").replaceAll("\\s+", " ").strip();
  }
}
