package dev.crl.environments.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code minihack-room}: MiniHack-Room-Ultimate-5x5. A dark 5x5 room with a random start and random
 * stairs, one hidden teleportation trap and one hostile jackal (see docs/environments.md for their
 * exact rules).
 */
public final class RoomEnvironment extends GridEnvironment {

  public static final String ID = "minihack-room";
  public static final int SIZE = 5;

  public RoomEnvironment(int maxSteps) {
    super(ID, maxSteps, Vision.ADJACENT, List.of());
  }

  private RoomEnvironment(RoomEnvironment o) {
    super(o);
  }

  @Override
  protected void generate(SplittableRandom rng) {
    allocate(SIZE + 2, SIZE + 2);
    room(1, 1, SIZE, SIZE);
    List<int[]> free = floorCells();
    int[] agent = free.remove(rng.nextInt(free.size()));
    agentX = agent[0];
    agentY = agent[1];
    int[] stairs = free.remove(rng.nextInt(free.size()));
    terrain[stairs[1]][stairs[0]] = STAIRS;
    int[] trap = free.remove(rng.nextInt(free.size()));
    trapX = trap[0];
    trapY = trap[1];
    int[] dest = free.get(rng.nextInt(free.size()));
    teleportX = dest[0];
    teleportY = dest[1];
    // The jackal starts out of reach so that the first action is never answered by a bite.
    List<int[]> far = new ArrayList<>();
    for (int[] c : free) {
      if (chebyshev(c[0], c[1], agentX, agentY) >= 2) {
        far.add(c);
      }
    }
    int[] monster = far.isEmpty() ? free.get(rng.nextInt(free.size())) : pick(rng, far);
    monsterX = monster[0];
    monsterY = monster[1];
    monsterHp = JACKAL_HP;
  }

  @Override
  protected boolean hasMonsterInLayout() {
    return true;
  }

  @Override
  protected String goal() {
    return "Reach the staircase down (>) in this dark room. A jackal and a hidden trap are somewhere"
        + " in the room.";
  }

  @Override
  public RoomEnvironment copy() {
    return new RoomEnvironment(this);
  }
}
