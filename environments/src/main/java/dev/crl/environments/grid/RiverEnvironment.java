package dev.crl.environments.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code minihack-river}: MiniHack-River-Narrow. A lit room split by a one-cell-wide river of water;
 * the agent starts west of it and the stairs lie east of it. Boulders pushed into the water fill it.
 */
public final class RiverEnvironment extends GridEnvironment {

  public static final String ID = "minihack-river";
  public static final int INNER_WIDTH = 11;
  public static final int INNER_HEIGHT = 5;
  public static final int RIVER_X = 6;
  public static final int BOULDERS = 2;

  public RiverEnvironment(int maxSteps) {
    super(ID, maxSteps, Vision.LINE_OF_SIGHT, List.of());
  }

  private RiverEnvironment(RiverEnvironment o) {
    super(o);
  }

  @Override
  protected void generate(SplittableRandom rng) {
    allocate(INNER_WIDTH + 2, INNER_HEIGHT + 2);
    room(1, 1, INNER_WIDTH, INNER_HEIGHT);
    for (int y = 1; y <= INNER_HEIGHT; y++) {
      terrain[y][RIVER_X] = WATER;
    }
    agentX = 1 + rng.nextInt(2);
    agentY = 1 + rng.nextInt(INNER_HEIGHT);
    // Boulders sit in distinct rows west of the river, so each can be pushed straight east into it.
    List<Integer> rows = new ArrayList<>();
    for (int y = 1; y <= INNER_HEIGHT; y++) {
      rows.add(y);
    }
    for (int i = 0; i < BOULDERS; i++) {
      int row = rows.remove(rng.nextInt(rows.size()));
      int bx = 3 + rng.nextInt(2);
      boulder[row][bx] = true;
    }
    int sx = RIVER_X + 2 + rng.nextInt(INNER_WIDTH - RIVER_X - 1);
    int sy = 1 + rng.nextInt(INNER_HEIGHT);
    terrain[sy][sx] = STAIRS;
  }

  @Override
  protected String goal() {
    return "Cross the river of water (}) by pushing a boulder (`) into it, then reach the staircase"
        + " down (>).";
  }

  @Override
  public RiverEnvironment copy() {
    return new RiverEnvironment(this);
  }
}
