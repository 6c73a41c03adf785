package dev.crl.environments.sokoban;

import dev.crl.environments.Observation;
import dev.crl.environments.TextPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted Sokoban expert that reads only the observation text: it parses the map and runs a
 * breadth-first search over (player, boxes) with the push rules, then plays the first move.
 */
public final class SokobanExpert implements TextPolicy {

  private static final int[] DX = {0, 0, -1, 1};
  private static final int[] DY = {-1, 1, 0, 0};

  @Override
  public String act(Observation obs) {
    List<String> rows = new ArrayList<>();
    boolean inMap = false;
    for (String line : obs.text().split("\n")) {
      if (line.equals("Map:")) {
        inMap = true;
      } else if (line.startsWith("Legend:")) {
        break;
      } else if (inMap) {
        rows.add(line);
      }
    }
    int h = rows.size();
    int w = rows.isEmpty() ? 0 : rows.get(0).length();
    boolean[] wall = new boolean[w * h];
    boolean[] target = new boolean[w * h];
    boolean[] box = new boolean[w * h];
    int player = 0;
    for (int y = 0; y < h; y++) {
      String r = rows.get(y);
      for (int x = 0; x < w; x++) {
        char c = x < r.length() ? r.charAt(x) : '#';
        int i = y * w + x;
        wall[i] = c == '#';
        target[i] = c == 'O' || c == '√' || c == 'S';
        box[i] = c == 'X' || c == '√';
        if (c == 'P' || c == 'S') {
          player = i;
        }
      }
    }
    record Node(int player, boolean[] boxes, Node parent, int move) {}
    Map<String, Boolean> seen = new HashMap<>();
    ArrayDeque<Node> queue = new ArrayDeque<>();
    queue.add(new Node(player, box, null, -1));
    seen.put(key(player, box), true);
    while (!queue.isEmpty()) {
      Node n = queue.poll();
      for (int d = 0; d < 4; d++) {
        int step = DY[d] * w + DX[d];
        int next = n.player() + step;
        if (next < 0 || next >= wall.length || wall[next]) {
          continue;
        }
        boolean[] b = n.boxes();
        if (b[next]) {
          int beyond = next + step;
          if (beyond < 0 || beyond >= wall.length || wall[beyond] || b[beyond]) {
            continue;
          }
          b = b.clone();
          b[next] = false;
          b[beyond] = true;
        }
        Node child = new Node(next, b, n, d);
        if (solved(b, target)) {
          Node first = child;
          while (first.parent() != null && first.parent().parent() != null) {
            first = first.parent();
          }
          return SokobanEnvironment.ACTIONS.get(first.move());
        }
        if (seen.putIfAbsent(key(next, b), true) == null) {
          queue.add(child);
        }
      }
    }
    return "up";
  }

  private static boolean solved(boolean[] box, boolean[] target) {
    for (int i = 0; i < box.length; i++) {
      if (box[i] && !target[i]) {
        return false;
      }
    }
    return true;
  }

  private static String key(int player, boolean[] box) {
    StringBuilder sb = new StringBuilder();
    sb.append(player).append(':');
    for (int i = 0; i < box.length; i++) {
      if (box[i]) {
        sb.append(i).append(',');
      }
    }
    return sb.toString();
  }
}
