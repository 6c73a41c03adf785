package dev.crl.environments.grid;

import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code minihack-keyroom}: MiniHack-KeyRoom-Dark-S5. A dark 5x5 room holding a key, and a small dark
 * room behind a locked door holding the stairs. Adds the actions {@code pickup} and {@code apply}.
 */
public final class KeyRoomEnvironment extends GridEnvironment {

  public static final String ID = "minihack-keyroom";
  public static final int SIZE = 5;

  public KeyRoomEnvironment(int maxSteps) {
    super(ID, maxSteps, Vision.ADJACENT, List.of("pickup", "apply"));
  }

  private KeyRoomEnvironment(KeyRoomEnvironment o) {
    super(o);
  }

  @Override
  protected void generate(SplittableRandom rng) {
    allocate(SIZE + 5, SIZE + 2);
    room(1, 1, SIZE, SIZE);
    // The goal room is 2x2, east of the main room, sharing its east wall where the door is.
    int top = 1 + rng.nextInt(SIZE - 1);
    room(SIZE + 2, top, SIZE + 3, top + 1);
    int doorY = top + rng.nextInt(2);
    terrain[doorY][SIZE + 1] = LOCKED_DOOR;
    int stairsX = SIZE + 2 + rng.nextInt(2);
    int stairsY = top + rng.nextInt(2);
    terrain[stairsY][stairsX] = STAIRS;
    List<int[]> free = new java.util.ArrayList<>();
    for (int y = 1; y <= SIZE; y++) {
      for (int x = 1; x <= SIZE; x++) {
        free.add(new int[] {x, y});
      }
    }
    int[] agent = free.remove(rng.nextInt(free.size()));
    agentX = agent[0];
    agentY = agent[1];
    int[] key = free.get(rng.nextInt(free.size()));
    keyX = key[0];
    keyY = key[1];
  }

  @Override
  protected String goal() {
    return "Pick up the key, unlock the locked door (+) by applying the key next to it, and reach the"
        + " staircase down (>).";
  }

  @Override
  public KeyRoomEnvironment copy() {
    return new KeyRoomEnvironment(this);
  }
}
