package dev.crl.environments.sokoban;

import dev.crl.environments.LocalEnvironment;
import dev.crl.environments.Observation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code sokoban}: a 6x6 room (walls included) with two boxes and two targets, rendered with the
 * symbols RAGEN and ROLL use. Levels are generated the way gym-sokoban does it: carve a room by a
 * random walk, put the boxes on their targets, then play backwards (the player walks and pulls boxes),
 * so every level is solvable by pushing the pulls back.
 */
public final class SokobanEnvironment extends LocalEnvironment {

  public static final String ID = "sokoban";
  public static final int SIZE = 6;
  public static final int BOXES = 2;
  public static final int DEFAULT_MAX_STEPS = 100;

  static final List<String> ACTIONS = List.of("up", "down", "left", "right");
  private static final int[] DX = {0, 0, -1, 1};
  private static final int[] DY = {-1, 1, 0, 0};
  private static final Map<String, String> ALIASES = buildAliases();

  private boolean[] wall;
  private boolean[] target;
  private boolean[] box;
  private int player;

  public SokobanEnvironment(int maxSteps) {
    super(ID, maxSteps);
  }

  private SokobanEnvironment(SokobanEnvironment o) {
    super(o);
    wall = o.wall;
    target = o.target;
    box = o.box.clone();
    player = o.player;
  }

  private static Map<String, String> buildAliases() {
    Map<String, String> m = new HashMap<>();
    String[][] table = {
      {"up", "u", "north", "n", "^"},
      {"down", "d", "south", "s", "v"},
      {"left", "l", "west", "w", "<"},
      {"right", "r", "east", "e", ">"},
    };
    for (String[] row : table) {
      for (String a : row) {
        m.put(a, row[0]);
        m.put("push " + a, row[0]);
        m.put("move " + a, row[0]);
        m.put("go " + a, row[0]);
      }
    }
    return Map.copyOf(m);
  }

  @Override
  protected Observation start(long seed) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x50C0BA);
    while (!tryGenerate(rng)) {
      // Rejected layouts (too small, or boxes that never left their targets) are simply redrawn.
    }
    return observe("");
  }

  private boolean tryGenerate(SplittableRandom rng) {
    int n = SIZE * SIZE;
    wall = new boolean[n];
    java.util.Arrays.fill(wall, true);
    // Carve the room with a random walk that changes direction now and then, as gym-sokoban does.
    int x = 1 + rng.nextInt(SIZE - 2);
    int y = 1 + rng.nextInt(SIZE - 2);
    int dir = rng.nextInt(4);
    for (int i = 0; i < 14; i++) {
      wall[y * SIZE + x] = false;
      if (rng.nextInt(100) < 35) {
        dir = rng.nextInt(4);
      }
      int nx = x + DX[dir];
      int ny = y + DY[dir];
      if (nx >= 1 && ny >= 1 && nx <= SIZE - 2 && ny <= SIZE - 2) {
        x = nx;
        y = ny;
      }
    }
    List<Integer> floor = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!wall[i]) {
        floor.add(i);
      }
    }
    if (floor.size() < BOXES + 5) {
      return false;
    }
    target = new boolean[n];
    box = new boolean[n];
    int[] origin = new int[BOXES];
    for (int b = 0; b < BOXES; b++) {
      int cell = floor.remove(rng.nextInt(floor.size()));
      target[cell] = true;
      box[cell] = true;
      origin[b] = cell;
    }
    player = floor.get(rng.nextInt(floor.size()));
    // Reverse play: keep the most scrambled state seen in a few random backward walks. The score
    // follows gym-sokoban's idea: boxes far from targets, reached by many pulls that alternate
    // between boxes, make harder levels.
    boolean[] bestBoxes = null;
    int bestPlayer = -1;
    int bestScore = 0;
    boolean[] startBoxes = box.clone();
    int startPlayer = player;
    for (int walk = 0; walk < 8; walk++) {
      boolean[] b = startBoxes.clone();
      int p = startPlayer;
      int pulls = 0;
      int swaps = 0;
      int lastPulled = -1;
      for (int step = 0; step < 120; step++) {
        int d = rng.nextInt(4);
        int np = p + DY[d] * SIZE + DX[d];
        if (wall[np] || b[np]) {
          continue;
        }
        int behind = p - DY[d] * SIZE - DX[d];
        if (b[behind] && rng.nextInt(4) != 0) {
          b[behind] = false;
          b[p] = true;
          pulls++;
          if (lastPulled != behind) {
            swaps++;
          }
          lastPulled = p;
        }
        p = np;
        int off = 0;
        int spread = 0;
        for (int c = 0; c < n; c++) {
          if (b[c] && !target[c]) {
            off++;
            spread += distanceToNearestTarget(c);
          }
        }
        int score = off == BOXES ? spread * (1 + swaps) * 4 + pulls : 0;
        if (score > bestScore) {
          bestScore = score;
          bestBoxes = b.clone();
          bestPlayer = p;
        }
      }
    }
    if (bestBoxes == null) {
      return false;
    }
    box = bestBoxes;
    player = bestPlayer;
    return true;
  }

  private int distanceToNearestTarget(int cell) {
    int best = Integer.MAX_VALUE;
    for (int c = 0; c < target.length; c++) {
      if (target[c]) {
        best = Math.min(best, Math.abs(c % SIZE - cell % SIZE) + Math.abs(c / SIZE - cell / SIZE));
      }
    }
    return best;
  }

  @Override
  public List<String> availableActions() {
    return ACTIONS;
  }

  @Override
  protected Map<String, String> aliases() {
    return ALIASES;
  }

  @Override
  protected Transition apply(String action) {
    int d = ACTIONS.indexOf(action);
    int step = DY[d] * SIZE + DX[d];
    int next = player + step;
    String message;
    if (wall[next]) {
      message = "You bump into a wall.";
    } else if (box[next]) {
      int beyond = next + step;
      if (wall[beyond] || box[beyond]) {
        message = "The box does not move: something blocks it.";
      } else {
        box[next] = false;
        box[beyond] = true;
        player = next;
        message = target[beyond] ? "You push the box onto a target." : "You push the box.";
      }
    } else {
      player = next;
      message = "You move " + action + ".";
    }
    if (solved()) {
      return Transition.success(message + " All boxes are on targets.", 1.0);
    }
    return Transition.of(message);
  }

  private boolean solved() {
    for (int c = 0; c < box.length; c++) {
      if (box[c] && !target[c]) {
        return false;
      }
    }
    return true;
  }

  @Override
  protected Observation observe(String message) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("Message: ").append(message).append('\n').append("Map:\n");
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int c = y * SIZE + x;
        char ch;
        if (wall[c]) {
          ch = '#';
        } else if (c == player) {
          ch = target[c] ? 'S' : 'P';
        } else if (box[c]) {
          ch = target[c] ? '√' : 'X';
        } else {
          ch = target[c] ? 'O' : '_';
        }
        sb.append(ch);
      }
      sb.append('\n');
    }
    sb.append("Legend: # wall; _ floor; O target; X box; √ box on target; P you; S you on a target\n");
    return new Observation(
        "Push every box (X) onto a target (O). You can push a box but not pull it.",
        sb.toString(),
        ACTIONS);
  }

  @Override
  public SokobanEnvironment copy() {
    return new SokobanEnvironment(this);
  }

  @Override
  public String stateKey() {
    StringBuilder sb = new StringBuilder(48);
    sb.append(player).append(':');
    for (int c = 0; c < box.length; c++) {
      if (box[c]) {
        sb.append(c).append(',');
      }
    }
    return sb.toString();
  }
}
