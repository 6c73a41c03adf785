package dev.crl.environments.grid;

import dev.crl.environments.LocalEnvironment;
import dev.crl.environments.Observation;
import dev.crl.environments.SearchHint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The shared rules of the MiniHack-style levels: NetHack symbols, eight-way movement, walls, doors
 * (no diagonal moves through doorways), water, boulders that fill water, a key, a teleportation trap,
 * a jackal, darkness or line of sight, and remembered cells.
 *
 * <p>Subclasses only lay out a level in {@link #generate}; the rules are identical for all of them so
 * that behaviour documented once in docs/environments.md holds everywhere. Everything after the
 * layout is deterministic: given the seed and the actions, the episode is fixed.
 */
public abstract class GridEnvironment extends LocalEnvironment implements SearchHint {

  static final char ROCK = ' ';
  static final char WALL = '#';
  static final char FLOOR = '.';
  static final char STAIRS = '>';
  static final char WATER = '}';
  static final char LOCKED_DOOR = '+';
  static final char DOORWAY = 'D';

  static final char BOULDER_SYMBOL = '`';
  static final char KEY_SYMBOL = '(';
  static final char TRAP_SYMBOL = '^';
  static final char MONSTER_SYMBOL = 'd';

  /** How much of the level the agent sees. */
  enum Vision {
    /** A dark level: only the eight neighbours of the agent are visible. */
    ADJACENT,
    /** A lit level: every cell in line of sight is visible. */
    LINE_OF_SIGHT
  }

  static final int AGENT_MAX_HP = 12;
  static final int JACKAL_HP = 2;

  private static final Map<String, String> MOVE_ALIASES = Direction.aliases();

  // Layout and mutable game state. Arrays are indexed [y][x].
  int width;
  int height;
  char[][] terrain;
  boolean[][] boulder;
  int agentX;
  int agentY;
  int agentHp = AGENT_MAX_HP;
  int keyX = -1;
  int keyY = -1;
  boolean hasKey;
  int trapX = -1;
  int trapY = -1;
  int teleportX = -1;
  int teleportY = -1;
  int monsterX = -1;
  int monsterY = -1;
  int monsterHp;

  // Observation-only memory.
  boolean[][] seen;
  boolean[][] visible;
  boolean trapRevealed;

  private final Vision vision;
  private final List<String> actions;
  private final Map<String, String> aliases;

  protected GridEnvironment(String id, int maxSteps, Vision vision, List<String> extraActions) {
    super(id, maxSteps);
    this.vision = vision;
    List<String> a = new ArrayList<>();
    for (Direction d : Direction.ALL) {
      a.add(d.word);
    }
    a.addAll(extraActions);
    this.actions = List.copyOf(a);
    Map<String, String> al = new HashMap<>(MOVE_ALIASES);
    if (extraActions.contains("pickup")) {
      for (String s : List.of("pick up", "pick", "p", ",", "take", "get", "pick up key",
          "pick up the key", "take key", "take the key", "pickup key", "grab key")) {
        al.put(s, "pickup");
      }
    }
    if (extraActions.contains("apply")) {
      for (String s : List.of("apply key", "apply the key", "use key", "use the key", "unlock",
          "unlock door", "unlock the door", "open door", "open the door", "a")) {
        al.put(s, "apply");
      }
    }
    this.aliases = Map.copyOf(al);
  }

  protected GridEnvironment(GridEnvironment o) {
    super(o);
    this.vision = o.vision;
    this.actions = o.actions;
    this.aliases = o.aliases;
    this.width = o.width;
    this.height = o.height;
    this.terrain = deepCopy(o.terrain);
    this.boulder = deepCopy(o.boulder);
    // Headless copies (used by solvers) never update what the agent has seen, so they share it.
    this.seen = headless() ? o.seen : deepCopy(o.seen);
    this.visible = headless() || o.visible == null ? o.visible : deepCopy(o.visible);
    this.agentX = o.agentX;
    this.agentY = o.agentY;
    this.agentHp = o.agentHp;
    this.keyX = o.keyX;
    this.keyY = o.keyY;
    this.hasKey = o.hasKey;
    this.trapX = o.trapX;
    this.trapY = o.trapY;
    this.teleportX = o.teleportX;
    this.teleportY = o.teleportY;
    this.trapRevealed = o.trapRevealed;
    this.monsterX = o.monsterX;
    this.monsterY = o.monsterY;
    this.monsterHp = o.monsterHp;
  }

  /** Lays out a fresh level: must set width, height, terrain and the agent, may add objects. */
  protected abstract void generate(SplittableRandom rng);

  /** The task instruction shown as the observation's goal. */
  protected abstract String goal();

  /** Allocates an all-rock level of the given size. */
  void allocate(int w, int h) {
    width = w;
    height = h;
    terrain = new char[h][w];
    for (char[] row : terrain) {
      Arrays.fill(row, ROCK);
    }
    boulder = new boolean[h][w];
    seen = new boolean[h][w];
    visible = new boolean[h][w];
  }

  /** Fills a rectangle of floor surrounded by walls; (x0,y0)-(x1,y1) is the interior, inclusive. */
  void room(int x0, int y0, int x1, int y1) {
    for (int y = y0 - 1; y <= y1 + 1; y++) {
      for (int x = x0 - 1; x <= x1 + 1; x++) {
        boolean inside = x >= x0 && x <= x1 && y >= y0 && y <= y1;
        if (inside) {
          terrain[y][x] = FLOOR;
        } else if (terrain[y][x] == ROCK) {
          terrain[y][x] = WALL;
        }
      }
    }
  }

  @Override
  protected final Observation start(long seed) {
    agentHp = AGENT_MAX_HP;
    keyX = keyY = trapX = trapY = teleportX = teleportY = monsterX = monsterY = -1;
    hasKey = false;
    trapRevealed = false;
    monsterHp = 0;
    // The salt keeps the four families' levels unrelated even for equal seeds.
    generate(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id().hashCode()));
    updateView();
    return observe(keyX == agentX && keyY == agentY ? "You see here a key." : "");
  }

  @Override
  public List<String> availableActions() {
    return actions;
  }

  @Override
  protected Map<String, String> aliases() {
    return aliases;
  }

  @Override
  protected Transition apply(String action) {
    StringBuilder msg = new StringBuilder();
    Direction d = Direction.byWord(action);
    if (d != null) {
      move(d, msg);
    } else if (action.equals("pickup")) {
      pickup(msg);
    } else if (action.equals("apply")) {
      applyKey(msg);
    }
    if (terrain[agentY][agentX] == STAIRS) {
      updateView();
      append(msg, "You reach the staircase down.");
      return Transition.success(msg.toString(), 1.0);
    }
    monsterTurn(msg);
    updateView();
    if (agentHp <= 0) {
      append(msg, "You die...");
      return Transition.failure(msg.toString(), 0.0);
    }
    return Transition.of(msg.toString());
  }

  private void move(Direction d, StringBuilder msg) {
    int nx = agentX + d.dx;
    int ny = agentY + d.dy;
    if (!inside(nx, ny)) {
      append(msg, "You cannot pass there.");
      return;
    }
    if (d.diagonal() && (terrain[agentY][agentX] == DOORWAY || terrain[ny][nx] == DOORWAY)) {
      append(msg, "You can't move diagonally into or out of a doorway.");
      return;
    }
    if (monsterHp > 0 && nx == monsterX && ny == monsterY) {
      monsterHp--;
      append(msg, monsterHp > 0 ? "You hit the jackal!" : "You kill the jackal!");
      if (monsterHp <= 0) {
        monsterX = monsterY = -1;
      }
      return;
    }
    char t = terrain[ny][nx];
    if (t == WALL || t == ROCK) {
      append(msg, "It's a wall.");
      return;
    }
    if (t == LOCKED_DOOR) {
      append(msg, "This door is locked.");
      return;
    }
    if (t == WATER) {
      append(msg, "You avoid stepping into the water.");
      return;
    }
    if (boulder[ny][nx]) {
      int bx = nx + d.dx;
      int by = ny + d.dy;
      if (!inside(bx, by) || boulder[by][bx] || (monsterHp > 0 && bx == monsterX && by == monsterY)) {
        append(msg, "You try to move the boulder, but in vain.");
        return;
      }
      char bt = terrain[by][bx];
      if (bt == WATER) {
        terrain[by][bx] = FLOOR;
        boulder[ny][nx] = false;
        append(msg, "You push the boulder into the water. Now you can cross it!");
      } else if (bt == FLOOR) {
        boulder[ny][nx] = false;
        boulder[by][bx] = true;
        append(msg, "With great effort you move the boulder.");
      } else {
        append(msg, "You try to move the boulder, but in vain.");
        return;
      }
    }
    agentX = nx;
    agentY = ny;
    if (agentX == trapX && agentY == trapY) {
      trapRevealed = true;
      append(msg, "You step onto a teleportation trap! You feel a wrenching sensation.");
      agentX = teleportX;
      agentY = teleportY;
    }
    if (agentX == keyX && agentY == keyY) {
      append(msg, "You see here a key.");
    }
  }

  private void pickup(StringBuilder msg) {
    if (agentX == keyX && agentY == keyY) {
      hasKey = true;
      keyX = keyY = -1;
      append(msg, "f - a key.");
    } else {
      append(msg, "There is nothing here to pick up.");
    }
  }

  private void applyKey(StringBuilder msg) {
    if (!hasKey) {
      append(msg, "You don't have anything to apply.");
      return;
    }
    for (Direction d : List.of(Direction.NORTH, Direction.EAST, Direction.SOUTH, Direction.WEST)) {
      int x = agentX + d.dx;
      int y = agentY + d.dy;
      if (inside(x, y) && terrain[y][x] == LOCKED_DOOR) {
        terrain[y][x] = DOORWAY;
        append(msg, "You unlock and open the door.");
        return;
      }
    }
    append(msg, "You apply the key, but there is no locked door next to you.");
  }

  /**
   * The jackal bites for one hit point when it starts its turn next to the agent, otherwise it steps
   * to the neighbouring cell closest to the agent (first in compass order on ties).
   */
  private void monsterTurn(StringBuilder msg) {
    if (monsterHp <= 0) {
      return;
    }
    int dist = chebyshev(monsterX, monsterY, agentX, agentY);
    if (dist == 1) {
      agentHp--;
      append(msg, "The jackal bites!");
      return;
    }
    int bestX = monsterX;
    int bestY = monsterY;
    int best = dist * 100 + manhattan(monsterX, monsterY, agentX, agentY);
    for (Direction d : Direction.ALL) {
      int x = monsterX + d.dx;
      int y = monsterY + d.dy;
      if (!inside(x, y) || boulder[y][x] || (x == agentX && y == agentY)) {
        continue;
      }
      char t = terrain[y][x];
      if (t != FLOOR && t != STAIRS && t != DOORWAY) {
        continue;
      }
      if (d.diagonal() && (t == DOORWAY || terrain[monsterY][monsterX] == DOORWAY)) {
        continue;
      }
      if (x == trapX && y == trapY) {
        continue;
      }
      int score = chebyshev(x, y, agentX, agentY) * 100 + manhattan(x, y, agentX, agentY);
      if (score < best) {
        best = score;
        bestX = x;
        bestY = y;
      }
    }
    monsterX = bestX;
    monsterY = bestY;
  }

  /**
   * Recomputes what is visible now and adds it to the remembered cells. In lit levels a wall next to
   * a visible floor cell is visible too, as in NetHack where the walls bordering a lit area show.
   */
  private void updateView() {
    if (headless()) {
      return;
    }
    if (visible == null || visible.length != height) {
      visible = new boolean[height][width];
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        visible[y][x] = vision == Vision.ADJACENT
            ? Math.abs(x - agentX) <= 1 && Math.abs(y - agentY) <= 1
            : lineOfSight(x, y);
      }
    }
    if (vision == Vision.LINE_OF_SIGHT) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          if (!visible[y][x] && opaqueTerrain(x, y) && nextToVisibleFloor(x, y)) {
            visible[y][x] = true;
          }
        }
      }
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        seen[y][x] |= visible[y][x];
      }
    }
  }

  private boolean opaqueTerrain(int x, int y) {
    char t = terrain[y][x];
    return t == WALL || t == LOCKED_DOOR;
  }

  private boolean nextToVisibleFloor(int x, int y) {
    for (Direction d : Direction.ALL) {
      int nx = x + d.dx;
      int ny = y + d.dy;
      if (inside(nx, ny) && visible[ny][nx] && !opaque(nx, ny)) {
        return true;
      }
    }
    return false;
  }

  boolean visibleNow(int x, int y) {
    return visible != null && visible[y][x];
  }

  /**
   * Line of sight from the agent: clear when the Bresenham line drawn from the agent to the cell, or
   * the one drawn from the cell back to the agent, crosses no wall, rock, closed door or boulder.
   * Trying both directions makes sight symmetric and lets the agent see around corridor corners the
   * way NetHack's more permissive vision does.
   */
  private boolean lineOfSight(int tx, int ty) {
    return clearLine(agentX, agentY, tx, ty) || clearLine(tx, ty, agentX, agentY);
  }

  private boolean clearLine(int x0, int y0, int x1, int y1) {
    int x = x0;
    int y = y0;
    int dx = Math.abs(x1 - x);
    int dy = -Math.abs(y1 - y);
    int sx = x < x1 ? 1 : -1;
    int sy = y < y1 ? 1 : -1;
    int err = dx + dy;
    while (x != x1 || y != y1) {
      if ((x != x0 || y != y0) && opaque(x, y)) {
        return false;
      }
      int e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
    return true;
  }

  private boolean opaque(int x, int y) {
    char t = terrain[y][x];
    return t == WALL || t == ROCK || t == LOCKED_DOOR || boulder[y][x];
  }

  boolean inside(int x, int y) {
    return x >= 0 && y >= 0 && x < width && y < height;
  }

  @Override
  protected Observation observe(String message) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("Message: ").append(message).append('\n');
    sb.append("Map:\n");
    boolean[] present = new boolean[128];
    for (int y = 0; y < height; y++) {
      StringBuilder row = new StringBuilder(width);
      for (int x = 0; x < width; x++) {
        char c = symbolAt(x, y);
        row.append(c);
        present[c] = true;
      }
      int end = row.length();
      while (end > 0 && row.charAt(end - 1) == ' ') {
        end--;
      }
      sb.append(row, 0, end).append('\n');
    }
    sb.append("Legend:");
    boolean first = true;
    for (String[] entry : LEGEND) {
      if (present[entry[0].charAt(0)]) {
        sb.append(first ? " " : "; ").append(entry[0]).append(' ').append(entry[1]);
        first = false;
      }
    }
    sb.append('\n');
    if (actions.contains("pickup")) {
      sb.append("Inventory: ").append(hasKey ? "f - a key" : "(empty)").append('\n');
    }
    if (hasMonsterInLayout()) {
      sb.append("HP: ").append(agentHp).append('(').append(AGENT_MAX_HP).append(")\n");
    }
    return new Observation(goal(), sb.toString(), actions);
  }

  /** True for levels that start with a monster, so their status line is always shown. */
  protected boolean hasMonsterInLayout() {
    return false;
  }

  private static final String[][] LEGEND = {
    {"@", "you (the agent)"},
    {">", "staircase down (the goal)"},
    {".", "floor"},
    {"-", "wall"},
    {"|", "wall"},
    {"+", "locked door"},
    {"}", "water"},
    {"`", "boulder"},
    {"(", "key"},
    {"^", "teleportation trap"},
    {"d", "jackal (hostile)"},
  };

  char symbolAt(int x, int y) {
    if (x == agentX && y == agentY) {
      return '@';
    }
    boolean visible = visibleNow(x, y);
    if (!visible && !seen[y][x]) {
      return ' ';
    }
    if (visible && monsterHp > 0 && x == monsterX && y == monsterY) {
      return MONSTER_SYMBOL;
    }
    if (boulder[y][x]) {
      return BOULDER_SYMBOL;
    }
    if (x == keyX && y == keyY) {
      return KEY_SYMBOL;
    }
    if (trapRevealed && x == trapX && y == trapY) {
      return TRAP_SYMBOL;
    }
    char t = terrain[y][x];
    switch (t) {
      case WALL:
        return wallSymbol(x, y);
      case DOORWAY:
        return FLOOR;
      default:
        return t;
    }
  }

  /** NetHack draws a wall as '|' when it runs vertically and '-' otherwise (corners included). */
  private char wallSymbol(int x, int y) {
    boolean up = isWallLike(x, y - 1);
    boolean down = isWallLike(x, y + 1);
    boolean left = isWallLike(x - 1, y);
    boolean right = isWallLike(x + 1, y);
    return (up || down) && !left && !right ? '|' : '-';
  }

  private boolean isWallLike(int x, int y) {
    if (!inside(x, y)) {
      return false;
    }
    char t = terrain[y][x];
    return t == WALL || t == LOCKED_DOOR || t == DOORWAY;
  }

  /** The king-move distance to the nearest stairs: no plan can be shorter (bar the teleport trap). */
  @Override
  public int remainingActionsHint() {
    int best = Integer.MAX_VALUE;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (terrain[y][x] == STAIRS) {
          best = Math.min(best, chebyshev(x, y, agentX, agentY));
        }
      }
    }
    return best == Integer.MAX_VALUE ? 0 : best;
  }

  @Override
  public String stateKey() {
    StringBuilder sb = new StringBuilder(width * height + 32);
    sb.append(agentX).append(',').append(agentY).append(',').append(agentHp).append(',')
        .append(monsterX).append(',').append(monsterY).append(',').append(monsterHp).append(',')
        .append(keyX).append(',').append(keyY).append(',').append(hasKey).append('|');
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        sb.append(boulder[y][x] ? BOULDER_SYMBOL : terrain[y][x]);
      }
    }
    return sb.toString();
  }

  /** Picks a uniformly random cell among {@code cells}. */
  static int[] pick(SplittableRandom rng, List<int[]> cells) {
    return cells.get(rng.nextInt(cells.size()));
  }

  /** All interior floor cells of the current layout. */
  List<int[]> floorCells() {
    List<int[]> out = new ArrayList<>();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (terrain[y][x] == FLOOR) {
          out.add(new int[] {x, y});
        }
      }
    }
    return out;
  }

  static int chebyshev(int ax, int ay, int bx, int by) {
    return Math.max(Math.abs(ax - bx), Math.abs(ay - by));
  }

  static int manhattan(int ax, int ay, int bx, int by) {
    return Math.abs(ax - bx) + Math.abs(ay - by);
  }

  private static void append(StringBuilder sb, String s) {
    if (sb.length() > 0) {
      sb.append(' ');
    }
    sb.append(s);
  }

  private static char[][] deepCopy(char[][] a) {
    char[][] c = new char[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  private static boolean[][] deepCopy(boolean[][] a) {
    boolean[][] c = new boolean[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
