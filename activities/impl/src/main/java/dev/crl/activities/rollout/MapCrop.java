package dev.crl.activities.rollout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The agent-centred crop of a grid observation's map, one word per cell, for word-level models.
 *
 * <p>The environments draw the whole level, and a word-level tokenizer loses the columns of a map
 * row (leading blanks vanish, "..>" and ">.." share no position). A crop that keeps the agent at
 * its centre and spells every cell, unseen ones included, puts each neighbour of the agent at a
 * fixed position in the prompt: "the stairs are one step east" becomes one fixed slot, which a
 * tiny model trained from scratch can learn within a few updates. MiniHack's own observation
 * ({@code glyphs_crop}, 9×9 by default) is centred on the agent the same way. The prompt places
 * the crop last, just before the answer, so that the distance from the answer to every cell is
 * fixed too (the message and legend above it change length from turn to turn).
 */
final class MapCrop {
  /** The word for a cell the agent has not seen (or that lies outside the level). */
  static final String UNSEEN = "_";
  private static final String MAP_HEADER = "Map:";
  private static final String AFTER_MAP = "Legend:";
  private static final char AGENT = '@';

  private MapCrop() {}

  /**
   * An observation text split into its map crop and everything else.
   *
   * @param rest the text without the map block (the "Map:" header and its rows) and without the
   *     legend line: a word-level model reads the crop's symbols as words of their own, and the
   *     legend's dozen-odd words per turn made every prompt, and so every rollout and training
   *     step, about a fifth longer
   * @param crop the crop's cells as words, rows separated by the newline word
   * @param neighbours the agent's eight neighbours, north first and clockwise, each one word that
   *     joins the direction and the cell ("east:&gt;"). The crop already holds these cells, but a
   *     model must learn where in it each one sits before it can act on it; a word that names the
   *     direction and the cell together is something a tiny model trained from scratch can act on
   *     directly, and its direction is the action's own word. On the room task this took the
   *     actor-only harness from chance to 0.71 evaluation success in 10 iterations instead of
   *     about 30 (docs/benchmarks.md).
   */
  record Split(String rest, String crop, String neighbours) {}

  /** The eight directions in the environments' action words, with their (dx, dy) on the map. */
  static final String[] DIRECTIONS = {"north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"};
  private static final int[][] OFFSETS = {{0, -1}, {1, -1}, {1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}};

  /** The word naming what lies one step in {@code direction}: the direction and the cell, joined. */
  static String neighbourWord(String direction, String cell) {
    return direction + ":" + cell;
  }

  /**
   * Splits {@code text} into the crop of the given radius around the agent and the remaining text;
   * empty when the text has no map with an agent.
   */
  static java.util.Optional<Split> split(String text, int radius, String newlineWord) {
    String[] lines = text.split("\n", -1);
    int header = -1;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].strip().equals(MAP_HEADER)) {
        header = i;
        break;
      }
    }
    if (header < 0) {
      return java.util.Optional.empty();
    }
    List<String> rows = new ArrayList<>();
    int end = header + 1;
    while (end < lines.length && !lines[end].startsWith(AFTER_MAP)) {
      rows.add(lines[end]);
      end++;
    }
    int agentRow = -1;
    int agentCol = -1;
    for (int r = 0; r < rows.size() && agentRow < 0; r++) {
      int c = rows.get(r).indexOf(AGENT);
      if (c >= 0) {
        agentRow = r;
        agentCol = c;
      }
    }
    if (agentRow < 0) {
      return java.util.Optional.empty();
    }
    StringBuilder crop = new StringBuilder();
    for (int dy = -radius; dy <= radius; dy++) {
      if (dy > -radius) {
        crop.append(' ').append(newlineWord).append(' ');
      }
      for (int dx = -radius; dx <= radius; dx++) {
        crop.append(dx > -radius ? " " : "").append(cell(rows, agentRow + dy, agentCol + dx));
      }
    }
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (i < header || (i >= end && !lines[i].startsWith(AFTER_MAP))) {
        rest.add(lines[i]);
      }
    }
    StringBuilder neighbours = new StringBuilder();
    for (int d = 0; d < DIRECTIONS.length; d++) {
      neighbours.append(d > 0 ? " " : "")
          .append(neighbourWord(DIRECTIONS[d], cell(rows, agentRow + OFFSETS[d][1], agentCol + OFFSETS[d][0])));
    }
    return java.util.Optional.of(new Split(String.join("\n", rest), crop.toString(), neighbours.toString()));
  }

  /**
   * {@code text} with every neighbour word split back into its direction and its cell. Experience
   * texts are written by a tiny extractor that shares the actor's vocabulary and can emit
   * neighbour words; an actor that has learned to act on "east:&gt;" would read one in its
   * experience as stairs next to it. Only the observation may hold neighbour words.
   */
  static String withoutNeighbourWords(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (String word : text.split(" ", -1)) {
      if (out.length() > 0) {
        out.append(' ');
      }
      int colon = word.indexOf(':');
      boolean neighbour = colon > 0 && colon < word.length() - 1
          && Arrays.asList(DIRECTIONS).contains(word.substring(0, colon));
      out.append(neighbour ? word.substring(0, colon) + " " + word.substring(colon + 1) : word);
    }
    return out.toString();
  }

  private static String cell(List<String> rows, int r, int c) {
    if (r < 0 || r >= rows.size() || c < 0 || c >= rows.get(r).length()) {
      return UNSEEN;
    }
    char ch = rows.get(r).charAt(c);
    return ch == ' ' ? UNSEEN : String.valueOf(ch);
  }
}
