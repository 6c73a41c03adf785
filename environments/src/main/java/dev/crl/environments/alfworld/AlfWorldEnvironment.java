package dev.crl.environments.alfworld;

import dev.crl.environments.LocalEnvironment;
import dev.crl.environments.Observation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code alfworld} / {@code alfworld-eval}: ALFWorld-style household tasks over generated scenes,
 * with ALFWorld's command grammar, its feedback sentences, and the admissible commands as the
 * available actions. Reward +1 on success and -1 when the 40 turns run out.
 */
public final class AlfWorldEnvironment extends LocalEnvironment {

  public static final String ID = "alfworld";
  public static final String EVAL_ID = "alfworld-eval";
  public static final int MAX_TURNS = 40;
  public static final int TRAIN_INSTANCES = 1466;
  public static final int EVAL_INSTANCES = 134;

  /** Training and evaluation instances come from disjoint instance numbers. */
  public enum Split {
    TRAIN(0, TRAIN_INSTANCES),
    EVAL(TRAIN_INSTANCES, EVAL_INSTANCES);

    final int first;
    final int count;

    Split(int first, int count) {
      this.first = first;
      this.count = count;
    }
  }

  private final Split split;
  private Scene scene;
  private int instance;
  private String location;
  private String holding;
  private Map<String, List<String>> contents;
  private Set<String> open;
  private Set<String> cleaned;
  private Set<String> heated;
  private Set<String> cooled;
  private boolean lampOn;

  public AlfWorldEnvironment(Split split, int maxSteps) {
    super(split == Split.TRAIN ? ID : EVAL_ID, maxSteps);
    this.split = split;
  }

  private AlfWorldEnvironment(AlfWorldEnvironment o) {
    super(o);
    split = o.split;
    scene = o.scene;
    instance = o.instance;
    location = o.location;
    holding = o.holding;
    contents = new LinkedHashMap<>();
    o.contents.forEach((k, v) -> contents.put(k, new ArrayList<>(v)));
    open = new HashSet<>(o.open);
    cleaned = new HashSet<>(o.cleaned);
    heated = new HashSet<>(o.heated);
    cooled = new HashSet<>(o.cooled);
    lampOn = o.lampOn;
  }

  /** The instance number (0..1465 train, 1466..1599 eval) the last reset selected. */
  public int instance() {
    return instance;
  }

  Scene scene() {
    return scene;
  }

  @Override
  protected Observation start(long seed) {
    instance = split.first + (int) Math.floorMod(seed, (long) split.count);
    scene = Scene.generate(instance * 0x9E3779B97F4A7C15L + 0xA1F);
    location = null;
    holding = null;
    contents = new LinkedHashMap<>();
    scene.contents().forEach((k, v) -> contents.put(k, new ArrayList<>(v)));
    open = new HashSet<>();
    cleaned = new HashSet<>();
    heated = new HashSet<>();
    cooled = new HashSet<>();
    lampOn = false;
    StringBuilder sb = new StringBuilder("-= Welcome to TextWorld, ALFRED! =-\n\n");
    sb.append("You are in the middle of a room. Looking quickly around you, you see ")
        .append(listing(scene.receptacles())).append(".\n\n");
    sb.append("Your task is to: ").append(scene.goalText());
    return new Observation(scene.goalText(), sb.toString(), availableActions());
  }

  @Override
  protected double truncationReward() {
    return -1.0;
  }

  @Override
  public List<String> availableActions() {
    List<String> a = new ArrayList<>();
    for (String r : scene.receptacles()) {
      if (!r.equals(location)) {
        a.add("go to " + r);
      }
    }
    if (location != null) {
      boolean visible = !scene.openable().contains(location) || open.contains(location);
      if (scene.openable().contains(location)) {
        a.add((open.contains(location) ? "close " : "open ") + location);
      }
      if (visible && holding == null) {
        for (String o : contents.get(location)) {
          if (!Scene.typeOf(o).equals(Scene.LAMP)) {
            a.add("take " + o + " from " + location);
          }
        }
      }
      if (visible && holding != null) {
        a.add("put " + holding + " in/on " + location);
      }
      String type = Scene.typeOf(location);
      if (holding != null && type.equals("sinkbasin")) {
        a.add("clean " + holding + " with " + location);
      }
      if (holding != null && type.equals("microwave")) {
        a.add("heat " + holding + " with " + location);
      }
      if (holding != null && type.equals("fridge")) {
        a.add("cool " + holding + " with " + location);
      }
      for (String o : contents.get(location)) {
        if (Scene.typeOf(o).equals(Scene.LAMP)) {
          a.add("use " + o);
        }
      }
      a.add("examine " + location);
    }
    if (holding != null) {
      a.add("examine " + holding);
    }
    a.add("inventory");
    a.add("look");
    return a;
  }

  @Override
  protected dev.crl.environments.ActionParser.Resolution resolveAction(String raw) {
    dev.crl.environments.ActionParser.Resolution r = super.resolveAction(raw);
    // ALFWorld answers every command it cannot execute with the same sentence.
    return r.valid() ? r : new dev.crl.environments.ActionParser.Resolution(null,
        "Nothing happens.");
  }

  @Override
  protected Map<String, String> aliases() {
    Map<String, String> m = new HashMap<>();
    for (String a : availableActions()) {
      if (a.startsWith("put ")) {
        m.put(a.replace(" in/on ", " in ").toLowerCase(), a);
        m.put(a.replace(" in/on ", " on ").toLowerCase(), a);
        m.put(a.replace("put ", "move ").replace(" in/on ", " to ").toLowerCase(), a);
      } else if (a.startsWith("go to ")) {
        m.put("goto " + a.substring(6), a);
        m.put("go " + a.substring(6), a);
      } else if (a.startsWith("take ")) {
        m.put(a.substring(0, a.indexOf(" from ")), a);
        m.put(a.replace("take ", "pick up "), a);
      }
    }
    m.put("i", "inventory");
    m.put("inv", "inventory");
    m.put("l", "look");
    return m;
  }

  @Override
  protected Transition apply(String action) {
    String msg;
    if (action.startsWith("go to ")) {
      location = action.substring(6);
      msg = "You arrive at " + location + ". " + describeHere();
    } else if (action.startsWith("open ")) {
      open.add(location);
      msg = "You open the " + location + ". The " + location + " is open. In it, you see "
          + listingOrNothing(contents.get(location)) + ".";
    } else if (action.startsWith("close ")) {
      open.remove(location);
      msg = "You close the " + location + ".";
    } else if (action.startsWith("take ")) {
      String o = action.substring(5, action.indexOf(" from "));
      contents.get(location).remove(o);
      holding = o;
      msg = "You pick up the " + o + " from the " + location + ".";
    } else if (action.startsWith("put ")) {
      contents.get(location).add(holding);
      msg = "You put the " + holding + " in/on the " + location + ".";
      holding = null;
    } else if (action.startsWith("clean ")) {
      cleaned.add(holding);
      msg = "You clean the " + holding + " using the " + location + ".";
    } else if (action.startsWith("heat ")) {
      heated.add(holding);
      cooled.remove(holding);
      msg = "You heat the " + holding + " using the " + location + ".";
    } else if (action.startsWith("cool ")) {
      cooled.add(holding);
      heated.remove(holding);
      msg = "You cool the " + holding + " using the " + location + ".";
    } else if (action.startsWith("use ")) {
      lampOn = true;
      msg = "You turn on the " + action.substring(4) + ".";
    } else if (action.startsWith("examine ")) {
      String what = action.substring(8);
      msg = what.equals(holding) ? "There's nothing special about " + what + "."
          : describeHere();
    } else if (action.equals("inventory")) {
      msg = holding == null ? "You are not carrying anything." : "You are carrying: a " + holding + ".";
    } else {
      msg = location == null
          ? "You are in the middle of a room. Looking quickly around you, you see "
              + listing(scene.receptacles()) + "."
          : "You are facing the " + location + ". Next to it, you see nothing.";
    }
    if (goalSatisfied()) {
      return Transition.success(msg, 1.0);
    }
    return Transition.of(msg);
  }

  private String describeHere() {
    if (scene.openable().contains(location) && !open.contains(location)) {
      return "The " + location + " is closed.";
    }
    List<String> items = contents.get(location);
    String prefix = scene.openable().contains(location) ? "The " + location + " is open. In it, "
        : "On the " + location + ", ";
    return prefix + "you see " + listingOrNothing(items) + ".";
  }

  boolean goalSatisfied() {
    String type = scene.objectType();
    if (scene.task() == TaskType.LOOK_AT_OBJ_IN_LIGHT) {
      return lampOn && holding != null && Scene.typeOf(holding).equals(type);
    }
    int placed = 0;
    for (Map.Entry<String, List<String>> e : contents.entrySet()) {
      if (!Scene.typeOf(e.getKey()).equals(scene.targetType())) {
        continue;
      }
      for (String o : e.getValue()) {
        if (!Scene.typeOf(o).equals(type)) {
          continue;
        }
        boolean ok = switch (scene.task()) {
          case PICK_CLEAN_THEN_PLACE -> cleaned.contains(o);
          case PICK_HEAT_THEN_PLACE -> heated.contains(o);
          case PICK_COOL_THEN_PLACE -> cooled.contains(o);
          default -> true;
        };
        if (ok) {
          placed++;
        }
      }
    }
    return placed >= (scene.task() == TaskType.PICK_TWO_OBJ_AND_PLACE ? 2 : 1);
  }

  private static String listingOrNothing(List<String> items) {
    return items.isEmpty() ? "nothing" : listing(items);
  }

  /** ALFWorld's enumeration: "a x 1, a y 2, and a z 3". */
  static String listing(List<String> items) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(items.size() == 2 ? " and " : (i == items.size() - 1 ? ", and " : ", "));
      }
      sb.append("a ").append(items.get(i));
    }
    return sb.toString();
  }

  @Override
  protected Observation observe(String message) {
    String text = message.isEmpty() && location == null && steps() == 0
        ? "You are in the middle of a room. Looking quickly around you, you see "
            + listing(scene.receptacles()) + "."
        : message;
    return new Observation(scene.goalText(), text, availableActions());
  }

  @Override
  public AlfWorldEnvironment copy() {
    return new AlfWorldEnvironment(this);
  }

  @Override
  public String stateKey() {
    return location + "|" + holding + "|" + contents + "|" + new java.util.TreeSet<>(open) + "|"
        + new java.util.TreeSet<>(cleaned) + "|" + new java.util.TreeSet<>(heated) + "|"
        + new java.util.TreeSet<>(cooled) + "|" + lampOn;
  }
}
