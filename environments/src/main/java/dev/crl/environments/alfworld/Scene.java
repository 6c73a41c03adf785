package dev.crl.environments.alfworld;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generated household scene and its task: receptacles with their starting contents, which of them
 * open, and the goal. Scenes are immutable; {@link AlfWorldEnvironment} copies the mutable parts.
 */
record Scene(
    String room,
    List<String> receptacles,
    List<String> openable,
    Map<String, List<String>> contents,
    TaskType task,
    String objectType,
    String targetType,
    String goalText) {

  private record RoomKind(String name, String[][] receptacles, String[] objects) {}

  // Receptacle type, minimum and maximum count.
  private static final RoomKind KITCHEN = new RoomKind("kitchen",
      new String[][] {{"cabinet", "2", "4"}, {"countertop", "1", "2"}, {"drawer", "1", "2"},
          {"fridge", "1", "1"}, {"microwave", "1", "1"}, {"sinkbasin", "1", "1"},
          {"stoveburner", "1", "2"}, {"diningtable", "0", "1"}, {"garbagecan", "1", "1"}},
      new String[] {"apple", "tomato", "potato", "lettuce", "egg", "bread", "mug", "cup", "plate",
          "bowl", "pan", "knife", "fork", "spoon", "saltshaker"});
  private static final RoomKind LIVINGROOM = new RoomKind("livingroom",
      new String[][] {{"sofa", "1", "1"}, {"armchair", "0", "1"}, {"coffeetable", "1", "1"},
          {"sidetable", "1", "2"}, {"tvstand", "1", "1"}, {"shelf", "1", "2"},
          {"drawer", "1", "2"}, {"garbagecan", "1", "1"}},
      new String[] {"remotecontrol", "keychain", "book", "newspaper", "pillow", "vase", "statue",
          "creditcard", "watch", "box"});
  private static final RoomKind BEDROOM = new RoomKind("bedroom",
      new String[][] {{"bed", "1", "1"}, {"desk", "1", "1"}, {"sidetable", "0", "1"},
          {"dresser", "1", "1"}, {"drawer", "1", "3"}, {"shelf", "1", "2"},
          {"garbagecan", "1", "1"}, {"laundryhamper", "0", "1"}},
      new String[] {"book", "cd", "pen", "pencil", "cellphone", "alarmclock", "keychain",
          "creditcard", "pillow", "mug"});
  private static final RoomKind BATHROOM = new RoomKind("bathroom",
      new String[][] {{"toilet", "1", "1"}, {"sinkbasin", "1", "1"}, {"bathtubbasin", "1", "1"},
          {"countertop", "1", "1"}, {"cabinet", "1", "3"}, {"drawer", "0", "2"},
          {"shelf", "0", "1"}, {"towelholder", "1", "1"}, {"garbagecan", "1", "1"}},
      new String[] {"soapbar", "spraybottle", "candle", "toiletpaper", "cloth", "soapbottle",
          "scrubbrush"});

  static final List<String> OPENABLE_TYPES = List.of("cabinet", "drawer", "fridge", "microwave");
  static final List<String> HEATABLE = List.of("apple", "tomato", "potato", "egg", "bread", "mug",
      "cup", "plate");
  static final List<String> COOLABLE = List.of("apple", "tomato", "potato", "lettuce", "egg",
      "bread", "mug", "cup", "plate", "pan");
  static final List<String> CLEANABLE = List.of("apple", "tomato", "potato", "lettuce", "egg",
      "mug", "cup", "plate", "bowl", "pan", "knife", "fork", "spoon", "soapbar", "cloth");
  static final List<String> LIGHT_OBJECTS = List.of("book", "cd", "pen", "pencil", "cellphone",
      "alarmclock", "keychain", "creditcard", "remotecontrol", "watch", "statue", "vase", "box");
  static final String LAMP = "desklamp";

  /** Generates the scene for one instance seed. */
  static Scene generate(long instanceSeed) {
    SplittableRandom rng = new SplittableRandom(instanceSeed);
    TaskType task = TaskType.values()[rng.nextInt(TaskType.values().length)];
    RoomKind kind = switch (task) {
      case PICK_CLEAN_THEN_PLACE -> rng.nextBoolean() ? KITCHEN : BATHROOM;
      case PICK_HEAT_THEN_PLACE, PICK_COOL_THEN_PLACE -> KITCHEN;
      case LOOK_AT_OBJ_IN_LIGHT -> rng.nextBoolean() ? LIVINGROOM : BEDROOM;
      default -> new RoomKind[] {KITCHEN, LIVINGROOM, BEDROOM, BATHROOM}[rng.nextInt(4)];
    };
    List<String> receptacles = new ArrayList<>();
    List<String> openable = new ArrayList<>();
    for (String[] r : kind.receptacles()) {
      int min = Integer.parseInt(r[1]);
      int max = Integer.parseInt(r[2]);
      int n = min + rng.nextInt(max - min + 1);
      for (int i = 1; i <= n; i++) {
        String name = r[0] + " " + i;
        receptacles.add(name);
        if (OPENABLE_TYPES.contains(r[0])) {
          openable.add(name);
        }
      }
    }
    List<String> candidates = new ArrayList<>();
    for (String o : kind.objects()) {
      boolean ok = switch (task) {
        case PICK_CLEAN_THEN_PLACE -> CLEANABLE.contains(o);
        case PICK_HEAT_THEN_PLACE -> HEATABLE.contains(o);
        case PICK_COOL_THEN_PLACE -> COOLABLE.contains(o);
        case LOOK_AT_OBJ_IN_LIGHT -> LIGHT_OBJECTS.contains(o);
        default -> true;
      };
      if (ok) {
        candidates.add(o);
      }
    }
    String objectType = candidates.get(rng.nextInt(candidates.size()));
    List<String> targetTypes = new ArrayList<>();
    for (String r : receptacles) {
      String t = typeOf(r);
      if (!targetTypes.contains(t) && !t.equals("sinkbasin") && !t.equals("stoveburner")) {
        targetTypes.add(t);
      }
    }
    String targetType = task == TaskType.LOOK_AT_OBJ_IN_LIGHT ? LAMP
        : targetTypes.get(rng.nextInt(targetTypes.size()));
    Map<String, List<String>> contents = new LinkedHashMap<>();
    for (String r : receptacles) {
      contents.put(r, new ArrayList<>());
    }
    // Task objects never start inside a receptacle of the target type, so no goal is met at reset.
    List<String> sources = new ArrayList<>();
    for (String r : receptacles) {
      if (!typeOf(r).equals(targetType) && !typeOf(r).equals("microwave")) {
        sources.add(r);
      }
    }
    int copies = task == TaskType.PICK_TWO_OBJ_AND_PLACE ? 2 + rng.nextInt(2) : 1 + rng.nextInt(2);
    for (int i = 1; i <= copies; i++) {
      contents.get(sources.get(rng.nextInt(sources.size()))).add(objectType + " " + i);
    }
    if (task == TaskType.LOOK_AT_OBJ_IN_LIGHT) {
      List<String> stands = new ArrayList<>();
      for (String r : receptacles) {
        String t = typeOf(r);
        if (t.equals("sidetable") || t.equals("desk") || t.equals("dresser")
            || t.equals("coffeetable")) {
          stands.add(r);
        }
      }
      contents.get(stands.get(rng.nextInt(stands.size()))).add(LAMP + " 1");
    }
    int distractors = 4 + rng.nextInt(5);
    Map<String, Integer> counters = new LinkedHashMap<>();
    for (int i = 0; i < distractors; i++) {
      String type = kind.objects()[rng.nextInt(kind.objects().length)];
      if (type.equals(objectType)) {
        continue;
      }
      int n = counters.merge(type, 1, Integer::sum);
      contents.get(receptacles.get(rng.nextInt(receptacles.size()))).add(type + " " + n);
    }
    String goal = goalText(task, objectType, targetType, rng);
    Map<String, List<String>> frozen = new LinkedHashMap<>();
    contents.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new Scene(kind.name(), List.copyOf(receptacles), List.copyOf(openable),
        java.util.Collections.unmodifiableMap(frozen), task, objectType, targetType, goal);
  }

  /** ALFWorld's goal sentences, two phrasings per task type. */
  private static String goalText(TaskType task, String o, String r, SplittableRandom rng) {
    boolean alt = rng.nextBoolean();
    return switch (task) {
      case PICK_AND_PLACE -> alt ? "put some " + o + " on " + r + "." : "put a " + o + " in " + r + ".";
      case PICK_CLEAN_THEN_PLACE -> alt ? "clean some " + o + " and put it in " + r + "."
          : "put a clean " + o + " in " + r + ".";
      case PICK_HEAT_THEN_PLACE -> alt ? "heat some " + o + " and put it in " + r + "."
          : "put a hot " + o + " in " + r + ".";
      case PICK_COOL_THEN_PLACE -> alt ? "cool some " + o + " and put it in " + r + "."
          : "put a cool " + o + " in " + r + ".";
      case LOOK_AT_OBJ_IN_LIGHT -> alt ? "examine the " + o + " with the desklamp."
          : "look at " + o + " under the desklamp.";
      case PICK_TWO_OBJ_AND_PLACE -> alt ? "find two " + o + " and put them in " + r + "."
          : "put two " + o + " in " + r + ".";
    };
  }

  /** "cabinet 2" has type "cabinet". */
  static String typeOf(String name) {
    int space = name.lastIndexOf(' ');
    return space < 0 ? name : name.substring(0, space);
  }
}
