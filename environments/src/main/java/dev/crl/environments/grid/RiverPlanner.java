package dev.crl.environments.grid;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Breadth-first planner over a parsed text map with boulders and water, used by {@link GridExpert}.
 * The state is the agent position plus the boulder and water layout, encoded as a string.
 */
final class RiverPlanner {

  private final int width;
  private final int height;
  private final char[] start;
  private final int ax;
  private final int ay;

  RiverPlanner(char[][] map, int ax, int ay) {
    height = map.length;
    width = height == 0 ? 0 : map[0].length;
    start = new char[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        char c = map[y][x];
        start[y * width + x] = c == '@' ? '.' : c;
      }
    }
    this.ax = ax;
    this.ay = ay;
  }

  /** Returns a shortest list of moves reaching '>' within {@code maxDepth}, or an empty list. */
  List<String> plan(int maxDepth) {
    record Node(char[] cells, int pos, Node parent, String move, int depth) {}
    Map<String, Boolean> seen = new HashMap<>();
    ArrayDeque<Node> queue = new ArrayDeque<>();
    Node root = new Node(start, ay * width + ax, null, null, 0);
    seen.put(keyOf(root.cells(), root.pos()), true);
    queue.add(root);
    while (!queue.isEmpty()) {
      Node n = queue.poll();
      if (n.depth() >= maxDepth) {
        continue;
      }
      int x = n.pos() % width;
      int y = n.pos() / width;
      for (Direction d : Direction.ALL) {
        int nx = x + d.dx;
        int ny = y + d.dy;
        if (!in(nx, ny)) {
          continue;
        }
        char[] cells = n.cells();
        char t = cells[ny * width + nx];
        char[] next = cells;
        if (t == '>') {
          List<String> plan = new ArrayList<>();
          plan.add(d.word);
          for (Node p = n; p.parent() != null; p = p.parent()) {
            plan.add(p.move());
          }
          Collections.reverse(plan);
          return plan;
        }
        if (t == '`') {
          int bx = nx + d.dx;
          int by = ny + d.dy;
          if (!in(bx, by)) {
            continue;
          }
          char bt = cells[by * width + bx];
          if (bt != '}' && bt != '.') {
            continue;
          }
          next = cells.clone();
          next[ny * width + nx] = '.';
          next[by * width + bx] = bt == '}' ? '.' : '`';
        } else if (t != '.') {
          continue;
        }
        int pos = ny * width + nx;
        String k = keyOf(next, pos);
        if (seen.putIfAbsent(k, true) == null) {
          queue.add(new Node(next, pos, n, d.word, n.depth() + 1));
        }
      }
    }
    return List.of();
  }

  private boolean in(int x, int y) {
    return x >= 0 && y >= 0 && x < width && y < height;
  }

  private static String keyOf(char[] cells, int pos) {
    return pos + ":" + new String(cells);
  }
}
