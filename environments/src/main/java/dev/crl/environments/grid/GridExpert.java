package dev.crl.environments.grid;

import dev.crl.environments.Observation;
import dev.crl.environments.TextPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scripted expert for the MiniHack-style families that reads only the observation text: it parses
 * the map, plans with breadth-first search (unknown cells are assumed to be floor), and re-plans every
 * step. For keys it picks up and applies; for rivers it plans boulder pushes.
 */
public final class GridExpert implements TextPolicy {

  private char[][] map;
  private int ax;
  private int ay;
  private int keyX = -1;
  private int keyY = -1;
  private List<String> plan = List.of();
  private int planStep;
  private int expectedX = -1;
  private int expectedY = -1;
  private int committed = -1;
  private int reachedTarget = -1;
  private int beyondX = -1;
  private int beyondY = -1;

  @Override
  public void reset() {
    keyX = keyY = -1;
    beyondX = beyondY = -1;
    committed = -1;
    plan = List.of();
    planStep = 0;
  }

  @Override
  public String act(Observation obs) {
    String text = obs.text();
    parse(text);
    boolean keyTask = obs.availableActions().contains("pickup");
    boolean hasKey = text.contains("Inventory: f - a key");
    // A hostile next to us bites every turn, so fighting it first costs fewer hit points and turns.
    for (Direction d : Direction.ALL) {
      if (inside(ax + d.dx, ay + d.dy) && map[ay + d.dy][ax + d.dx] == 'd') {
        return d.word;
      }
    }
    if (hasBoulders()) {
      String a = riverAction();
      if (a != null) {
        return a;
      }
    }
    int[] stairs = find('>');
    if (stairs != null) {
      String a = firstStep(Set.of(key(stairs[0], stairs[1])), false);
      if (a == null) {
        a = firstStep(Set.of(key(stairs[0], stairs[1])), true);
      }
      if (a != null && !(keyTask && doorOnlyRoute())) {
        return a;
      }
    }
    if (keyTask && !hasKey) {
      int[] k = find('(');
      if (k != null) {
        keyX = k[0];
        keyY = k[1];
      }
      if ((ax == keyX && ay == keyY) || text.contains("You see here a key")) {
        return "pickup";
      }
      if (keyX >= 0) {
        String a = firstStep(Set.of(key(keyX, keyY)), true);
        if (a != null) {
          return a;
        }
      }
    }
    if (keyTask && hasKey) {
      Set<Integer> doorSides = new HashSet<>();
      for (int y = 0; y < map.length; y++) {
        for (int x = 0; x < map[y].length; x++) {
          if (map[y][x] == '+') {
            for (Direction d : List.of(Direction.NORTH, Direction.EAST, Direction.SOUTH,
                Direction.WEST)) {
              int sx = x + d.dx;
              int sy = y + d.dy;
              if (passable(sx, sy, false)) {
                if (sx == ax && sy == ay) {
                  // Remember the cell behind the door: after unlocking, that is where to go.
                  beyondX = 2 * x - sx;
                  beyondY = 2 * y - sy;
                  return "apply";
                }
                doorSides.add(key(sx, sy));
              }
            }
          }
        }
      }
      if (!doorSides.isEmpty()) {
        String a = firstStep(doorSides, true);
        if (a != null) {
          return a;
        }
      }
    }
    if (keyTask && hasKey && beyondX >= 0 && !(ax == beyondX && ay == beyondY)
        && find('>') == null) {
      String a = firstStep(Set.of(key(beyondX, beyondY)), true);
      if (a != null) {
        return a;
      }
    }
    Set<Integer> unknown = new HashSet<>();
    for (int y = 0; y < map.length; y++) {
      for (int x = 0; x < map[y].length; x++) {
        // Frontier cells: unknown cells a known floor cell leads into orthogonally.
        if (map[y][x] == ' ' && (passable(x - 1, y, false) || passable(x + 1, y, false)
            || passable(x, y - 1, false) || passable(x, y + 1, false))) {
          unknown.add(key(x, y));
        }
      }
    }
    // Commit to the frontier cell chosen before while it is still unexplored: switching to whichever
    // frontier is nearest after every move makes the explorer oscillate between branches.
    String a = null;
    if (unknown.contains(committed)) {
      a = firstStep(Set.of(committed), false);
    }
    if (a == null) {
      // Walk through known floor only, so no move is wasted bumping into an unseen wall.
      a = firstStep(unknown, false);
      if (a == null) {
        a = firstStep(unknown, true);
      }
      committed = reachedTarget;
    }
    return a != null ? a : "north";
  }

  /** True when the stairs are only reachable through unexplored space, i.e. beyond the locked door. */
  private boolean doorOnlyRoute() {
    return find('+') != null;
  }

  private void parse(String text) {
    List<String> rows = new ArrayList<>();
    boolean inMap = false;
    for (String line : text.split("\n", -1)) {
      if (line.equals("Map:")) {
        inMap = true;
        continue;
      }
      if (inMap && line.startsWith("Legend:")) {
        break;
      }
      if (inMap) {
        rows.add(line);
      }
    }
    int w = 0;
    for (String r : rows) {
      w = Math.max(w, r.length());
    }
    // Rendered rows drop trailing blanks, so unknown space beyond the longest row is added back.
    w += 2;
    map = new char[rows.size()][w];
    for (int y = 0; y < rows.size(); y++) {
      String r = rows.get(y);
      for (int x = 0; x < w; x++) {
        map[y][x] = x < r.length() ? r.charAt(x) : ' ';
        if (map[y][x] == '@') {
          ax = x;
          ay = y;
        }
      }
    }
  }

  private int[] find(char c) {
    for (int y = 0; y < map.length; y++) {
      for (int x = 0; x < map[y].length; x++) {
        if (map[y][x] == c) {
          return new int[] {x, y};
        }
      }
    }
    return null;
  }

  private boolean hasBoulders() {
    return find('`') != null || find('}') != null;
  }

  private int key(int x, int y) {
    return y * 1000 + x;
  }

  private boolean inside(int x, int y) {
    return y >= 0 && y < map.length && x >= 0 && x < map[y].length;
  }

  private boolean passable(int x, int y, boolean allowUnknown) {
    if (!inside(x, y)) {
      return false;
    }
    char c = map[y][x];
    if (c == '.' || c == '>' || c == '(' || c == '@' || c == 'd') {
      return true;
    }
    return allowUnknown && c == ' ';
  }

  /** A floor cell inside a wall line is a doorway; NetHack forbids diagonal moves through it. */
  private boolean looksLikeDoorway(int x, int y) {
    boolean wallsLeftRight = isWall(x - 1, y) && isWall(x + 1, y);
    boolean wallsUpDown = isWall(x, y - 1) && isWall(x, y + 1);
    return wallsLeftRight || wallsUpDown;
  }

  private boolean isWall(int x, int y) {
    return inside(x, y) && (map[y][x] == '-' || map[y][x] == '|');
  }

  /** Breadth-first search to any cell in {@code targets}; returns the first move or null. */
  private String firstStep(Set<Integer> targets, boolean allowUnknown) {
    Map<Integer, String> firstMove = new HashMap<>();
    ArrayDeque<int[]> queue = new ArrayDeque<>();
    firstMove.put(key(ax, ay), "");
    queue.add(new int[] {ax, ay});
    while (!queue.isEmpty()) {
      int[] c = queue.poll();
      String via = firstMove.get(key(c[0], c[1]));
      for (Direction d : Direction.ALL) {
        int x = c[0] + d.dx;
        int y = c[1] + d.dy;
        int k = key(x, y);
        if (firstMove.containsKey(k)) {
          continue;
        }
        boolean target = targets.contains(k);
        if (!target && !passable(x, y, allowUnknown)) {
          continue;
        }
        if (target && !inside(x, y)) {
          continue;
        }
        if (d.diagonal() && (looksLikeDoorway(c[0], c[1]) || (inside(x, y) && map[y][x] != ' '
            && looksLikeDoorway(x, y)))) {
          continue;
        }
        if (map[y][x] == '^') {
          continue;
        }
        String move = via.isEmpty() ? d.word : via;
        if (target) {
          reachedTarget = k;
          return move;
        }
        firstMove.put(k, move);
        queue.add(new int[] {x, y});
      }
    }
    return null;
  }

  /**
   * Plans boulder pushes on the parsed map with the environment's rules (a boulder pushed into water
   * fills it); re-planning every step is cheap because the level is small and lit.
   */
  private String riverAction() {
    // Follow the previous plan while the agent is where the plan expects it; re-plan otherwise.
    if (planStep < plan.size() && ax == expectedX && ay == expectedY) {
      return advancePlan();
    }
    plan = new RiverPlanner(map, ax, ay).plan(30);
    planStep = 0;
    expectedX = ax;
    expectedY = ay;
    return plan.isEmpty() ? null : advancePlan();
  }

  private String advancePlan() {
    String move = plan.get(planStep++);
    Direction d = Direction.byWord(move);
    expectedX += d.dx;
    expectedY += d.dy;
    return move;
  }
}
