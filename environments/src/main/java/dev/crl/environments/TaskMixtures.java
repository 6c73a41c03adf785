package dev.crl.environments;

import dev.crl.environments.alfworld.AlfWorldEnvironment;
import dev.crl.environments.grid.KeyRoomEnvironment;
import dev.crl.environments.grid.MazeEnvironment;
import dev.crl.environments.grid.RoomEnvironment;
import dev.crl.environments.sokoban.SokobanEnvironment;
import dev.crl.environments.webshop.WebShopEnvironment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Named task mixtures from the paper: environment id to sampling weight (weights sum to 1). The
 * paper trains multi-task runs with an equal share per task (128 rollouts per task per batch).
 */
public final class TaskMixtures {

  private static final Map<String, Map<String, Double>> MIXTURES = new LinkedHashMap<>();

  static {
    MIXTURES.put("mix-3", uniform(RoomEnvironment.ID, WebShopEnvironment.ID, AlfWorldEnvironment.ID));
    MIXTURES.put("mix-6", uniform(RoomEnvironment.ID, MazeEnvironment.ID, KeyRoomEnvironment.ID,
        SokobanEnvironment.ID, WebShopEnvironment.ID, AlfWorldEnvironment.ID));
  }

  private TaskMixtures() {}

  private static Map<String, Double> uniform(String... ids) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String id : ids) {
      m.put(id, 1.0 / ids.length);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The mixture called {@code name}, in a stable order, or empty. */
  public static Optional<Map<String, Double>> get(String name) {
    return Optional.ofNullable(MIXTURES.get(name));
  }

  /** The names of all mixtures. */
  public static Set<String> names() {
    return java.util.Collections.unmodifiableSet(MIXTURES.keySet());
  }
}
