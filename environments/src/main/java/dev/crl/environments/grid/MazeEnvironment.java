package dev.crl.environments.grid;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code minihack-maze}: MiniHack-MazeWalk-9x9. A random perfect maze carved on a 9x9 map (4x4 maze
 * cells joined by corridors), lit, seen by line of sight with remembered cells (fog of war).
 */
public final class MazeEnvironment extends GridEnvironment {

  public static final String ID = "minihack-maze";
  public static final int SIZE = 9;
  /** Stairs are placed at most this many moves from the start so the 30-action budget can explore. */
  public static final int MAX_SHORTEST_PATH = 12;

  public MazeEnvironment(int maxSteps) {
    super(ID, maxSteps, Vision.LINE_OF_SIGHT, List.of());
  }

  private MazeEnvironment(MazeEnvironment o) {
    super(o);
  }

  @Override
  protected void generate(SplittableRandom rng) {
    allocate(SIZE, SIZE);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        terrain[y][x] = WALL;
      }
    }
    int cells = (SIZE - 1) / 2;
    boolean[][] visited = new boolean[cells][cells];
    ArrayDeque<int[]> stack = new ArrayDeque<>();
    int[] first = {rng.nextInt(cells), rng.nextInt(cells)};
    visited[first[1]][first[0]] = true;
    terrain[2 * first[1] + 1][2 * first[0] + 1] = FLOOR;
    stack.push(first);
    Direction[] orth = {Direction.NORTH, Direction.EAST, Direction.SOUTH, Direction.WEST};
    while (!stack.isEmpty()) {
      int[] c = stack.peek();
      List<Direction> options = new ArrayList<>(4);
      for (Direction d : orth) {
        int nx = c[0] + d.dx;
        int ny = c[1] + d.dy;
        if (nx >= 0 && ny >= 0 && nx < cells && ny < cells && !visited[ny][nx]) {
          options.add(d);
        }
      }
      if (options.isEmpty()) {
        stack.pop();
        continue;
      }
      Direction d = options.get(rng.nextInt(options.size()));
      int nx = c[0] + d.dx;
      int ny = c[1] + d.dy;
      visited[ny][nx] = true;
      terrain[2 * c[1] + 1 + d.dy][2 * c[0] + 1 + d.dx] = FLOOR;
      terrain[2 * ny + 1][2 * nx + 1] = FLOOR;
      stack.push(new int[] {nx, ny});
    }
    List<int[]> free = floorCells();
    int[] agent = free.get(rng.nextInt(free.size()));
    agentX = agent[0];
    agentY = agent[1];
    int[][] dist = distances(agentX, agentY);
    List<int[]> goals = new ArrayList<>();
    for (int[] c : free) {
      int dd = dist[c[1]][c[0]];
      if (dd >= 2 && dd <= MAX_SHORTEST_PATH) {
        goals.add(c);
      }
    }
    int[] stairs = pick(rng, goals);
    terrain[stairs[1]][stairs[0]] = STAIRS;
  }

  /** Breadth-first move distances over floor from (x, y); unreachable cells get MAX_VALUE. */
  private int[][] distances(int sx, int sy) {
    int[][] dist = new int[height][width];
    for (int[] row : dist) {
      java.util.Arrays.fill(row, Integer.MAX_VALUE);
    }
    ArrayDeque<int[]> queue = new ArrayDeque<>();
    dist[sy][sx] = 0;
    queue.add(new int[] {sx, sy});
    while (!queue.isEmpty()) {
      int[] c = queue.poll();
      for (Direction d : Direction.ALL) {
        int x = c[0] + d.dx;
        int y = c[1] + d.dy;
        if (inside(x, y) && terrain[y][x] != WALL && dist[y][x] == Integer.MAX_VALUE) {
          dist[y][x] = dist[c[1]][c[0]] + 1;
          queue.add(new int[] {x, y});
        }
      }
    }
    return dist;
  }

  @Override
  protected String goal() {
    return "Find your way through the maze to the staircase down (>).";
  }

  @Override
  public MazeEnvironment copy() {
    return new MazeEnvironment(this);
  }
}
