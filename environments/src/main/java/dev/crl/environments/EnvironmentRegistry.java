package dev.crl.environments;

import dev.crl.environments.alfworld.AlfWorldEnvironment;
import dev.crl.environments.grid.KeyRoomEnvironment;
import dev.crl.environments.grid.MazeEnvironment;
import dev.crl.environments.grid.RiverEnvironment;
import dev.crl.environments.grid.RoomEnvironment;
import dev.crl.environments.remote.RemoteEnvironment;
import dev.crl.environments.sokoban.SokobanEnvironment;
import dev.crl.environments.webshop.WebShopEnvironment;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Creates environments by id. The ids are part of the public interface (run specs name them);
 * {@code remote:<url>} creates a client for an AgentGym-protocol server.
 */
public final class EnvironmentRegistry {

  /** Prefix of remote environment ids, e.g. {@code remote:http://127.0.0.1:36001}. */
  public static final String REMOTE_PREFIX = "remote:";

  private record Entry(int defaultMaxSteps, IntFunction<TextEnvironment> factory, String summary) {}

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    ENTRIES.put(RoomEnvironment.ID, new Entry(30, RoomEnvironment::new,
        "MiniHack-Room-Ultimate-5x5: dark 5x5 room, trap, jackal; reach >"));
    ENTRIES.put(MazeEnvironment.ID, new Entry(30, MazeEnvironment::new,
        "MiniHack-MazeWalk-9x9: random maze under fog of war; reach >"));
    ENTRIES.put(KeyRoomEnvironment.ID, new Entry(30, KeyRoomEnvironment::new,
        "MiniHack-KeyRoom-Dark-S5: pick up the key, unlock the door, reach >"));
    ENTRIES.put(RiverEnvironment.ID, new Entry(30, RiverEnvironment::new,
        "MiniHack-River-Narrow: push a boulder into the river, cross, reach >"));
    ENTRIES.put(SokobanEnvironment.ID, new Entry(SokobanEnvironment.DEFAULT_MAX_STEPS,
        SokobanEnvironment::new, "Sokoban 6x6, 2 boxes, 2 targets"));
    ENTRIES.put(WebShopEnvironment.ID, new Entry(WebShopEnvironment.DEFAULT_MAX_STEPS,
        WebShopEnvironment::new, "WebShop protocol over a synthetic 1,000-product catalogue"));
    ENTRIES.put(AlfWorldEnvironment.ID, new Entry(AlfWorldEnvironment.MAX_TURNS,
        n -> new AlfWorldEnvironment(AlfWorldEnvironment.Split.TRAIN, n),
        "ALFWorld-style household tasks, 1,466 training instances"));
    ENTRIES.put(AlfWorldEnvironment.EVAL_ID, new Entry(AlfWorldEnvironment.MAX_TURNS,
        n -> new AlfWorldEnvironment(AlfWorldEnvironment.Split.EVAL, n),
        "ALFWorld-style household tasks, 134 evaluation instances"));
  }

  private EnvironmentRegistry() {}

  /** Creates an environment with its default step limit. */
  public static TextEnvironment create(String id) {
    if (id != null && id.startsWith(REMOTE_PREFIX)) {
      return createRemote(id);
    }
    return create(id, entry(id).defaultMaxSteps());
  }

  /** Creates a local environment with a custom step limit. */
  public static TextEnvironment create(String id, int maxSteps) {
    if (id != null && id.startsWith(REMOTE_PREFIX)) {
      throw new EnvironmentException("remote environments take their step limit from the server");
    }
    return entry(id).factory().apply(maxSteps);
  }

  private static TextEnvironment createRemote(String id) {
    String url = id.substring(REMOTE_PREFIX.length());
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new EnvironmentException("Malformed remote environment URL '" + url + "'", e);
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http")
        || uri.getScheme().equals("https")) || uri.getHost() == null) {
      throw new EnvironmentException(
          "Remote environment URL must be http(s)://host:port[/path], got '" + url + "'");
    }
    return RemoteEnvironment.builder().setBaseUri(uri).build();
  }

  private static Entry entry(String id) {
    Entry e = id == null ? null : ENTRIES.get(id);
    if (e == null) {
      throw new EnvironmentException(
          "Unknown environment '" + id + "'. Known: " + String.join(", ", ENTRIES.keySet())
              + ", or remote:<http url>.");
    }
    return e;
  }

  /** The ids of the built-in environments, in a stable order. */
  public static Set<String> ids() {
    return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(ENTRIES.keySet()));
  }

  /** True for built-in ids and well-formed {@code remote:} ids. */
  public static boolean isKnown(String id) {
    if (id == null) {
      return false;
    }
    if (id.startsWith(REMOTE_PREFIX)) {
      try {
        URI uri = URI.create(id.substring(REMOTE_PREFIX.length()));
        return uri.getHost() != null
            && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return ENTRIES.containsKey(id);
  }

  /** A one-line description of a built-in environment. */
  public static String summary(String id) {
    return entry(id).summary();
  }

  /** The default step limit of a built-in environment. */
  public static int defaultMaxSteps(String id) {
    return entry(id).defaultMaxSteps();
  }
}
