package dev.crl.environments.grid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The eight compass moves of NetHack, with the names the text interface uses. */
public enum Direction {
  NORTH("north", "n", 0, -1),
  EAST("east", "e", 1, 0),
  SOUTH("south", "s", 0, 1),
  WEST("west", "w", -1, 0),
  NORTHEAST("northeast", "ne", 1, -1),
  SOUTHEAST("southeast", "se", 1, 1),
  SOUTHWEST("southwest", "sw", -1, 1),
  NORTHWEST("northwest", "nw", -1, -1);

  public final String word;
  public final String abbreviation;
  public final int dx;
  public final int dy;

  Direction(String word, String abbreviation, int dx, int dy) {
    this.word = word;
    this.abbreviation = abbreviation;
    this.dx = dx;
    this.dy = dy;
  }

  public boolean diagonal() {
    return dx != 0 && dy != 0;
  }

  public static final List<Direction> ALL = List.of(values());

  /** Returns the direction called {@code word}, or null. */
  public static Direction byWord(String word) {
    for (Direction d : values()) {
      if (d.word.equals(word)) {
        return d;
      }
    }
    return null;
  }

  /** Alias spellings accepted for moves: abbreviations, screen words, and "move"/"go" prefixes. */
  static Map<String, String> aliases() {
    Map<String, String> m = new HashMap<>();
    for (Direction d : values()) {
      m.put(d.abbreviation, d.word);
      for (String prefix : List.of("move ", "go ", "walk ", "step ")) {
        m.put(prefix + d.word, d.word);
        m.put(prefix + d.abbreviation, d.word);
      }
      if (d.diagonal()) {
        String ns = d.dy < 0 ? "north" : "south";
        String ew = d.dx < 0 ? "west" : "east";
        m.put(ns + "-" + ew, d.word);
        m.put(ns + " " + ew, d.word);
        m.put(ns + "_" + ew, d.word);
      }
    }
    m.put("up", "north");
    m.put("down", "south");
    m.put("left", "west");
    m.put("right", "east");
    m.put("move up", "north");
    m.put("move down", "south");
    m.put("move left", "west");
    m.put("move right", "east");
    return m;
  }
}
