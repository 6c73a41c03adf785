package dev.crl.environments.alfworld;

import dev.crl.environments.Observation;
import dev.crl.environments.TextPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted ALFWorld player that reads only the text: it parses the goal sentence, explores the
 * receptacles in the order the room description lists them (opening closed ones), remembers where it
 * saw objects, then takes, processes (clean, heat, cool) and places them, or uses the desklamp.
 */
public final class AlfWorldExpert implements TextPolicy {

  private static final Pattern SEEN = Pattern.compile("\\ba ([a-z]+ [0-9]+)");
  private static final Pattern[] GOALS = {
    Pattern.compile("^put two ([a-z]+) in ([a-z]+)\\.$"),
    Pattern.compile("^find two ([a-z]+) and put them in ([a-z]+)\\.$"),
    Pattern.compile("^put a (clean|hot|cool) ([a-z]+) in ([a-z]+)\\.$"),
    Pattern.compile("^(clean|heat|cool) some ([a-z]+) and put it in ([a-z]+)\\.$"),
    Pattern.compile("^look at ([a-z]+) under the desklamp\\.$"),
    Pattern.compile("^examine the ([a-z]+) with the desklamp\\.$"),
    Pattern.compile("^put (?:a|some) ([a-z]+) (?:in|on) ([a-z]+)\\.$"),
  };

  private List<String> receptacles = new ArrayList<>();
  private final Set<String> visited = new HashSet<>();
  private final Map<String, String> whereSeen = new LinkedHashMap<>();
  private final Set<String> delivered = new HashSet<>();
  private String location;
  private String holding;
  private boolean processed;
  private String lastAction = "";

  @Override
  public void reset() {
    receptacles = new ArrayList<>();
    visited.clear();
    whereSeen.clear();
    delivered.clear();
    location = null;
    holding = null;
    processed = false;
    lastAction = "";
  }

  @Override
  public String act(Observation obs) {
    String text = obs.text();
    if (receptacles.isEmpty() && text.contains("Looking quickly around you, you see ")) {
      Matcher m = SEEN.matcher(text.substring(text.indexOf("you see ")));
      while (m.find()) {
        receptacles.add(m.group(1));
      }
    }
    track(text);
    List<String> actions = obs.availableActions();
    String goal = obs.goal();
    String object = null;
    String target = null;
    String process = null;
    boolean light = false;
    int needed = 1;
    for (int i = 0; i < GOALS.length; i++) {
      Matcher m = GOALS[i].matcher(goal);
      if (!m.matches()) {
        continue;
      }
      switch (i) {
        case 0, 1 -> {
          object = m.group(1);
          target = m.group(2);
          needed = 2;
        }
        case 2, 3 -> {
          process = switch (m.group(1)) {
            case "clean" -> "clean";
            case "hot", "heat" -> "heat";
            default -> "cool";
          };
          object = m.group(2);
          target = m.group(3);
        }
        case 4, 5 -> {
          object = m.group(1);
          light = true;
        }
        default -> {
          object = m.group(1);
          target = m.group(2);
        }
      }
      break;
    }
    if (object == null) {
      return "look";
    }
    if (holding == null) {
      processed = false;
      // Take a wanted object here if one is visible.
      for (String a : actions) {
        if (a.startsWith("take " + object + " ") && !delivered.contains(objectOf(a))) {
          return remember(a);
        }
      }
      if (location != null && actions.contains("open " + location)) {
        return remember("open " + location);
      }
      for (Map.Entry<String, String> e : whereSeen.entrySet()) {
        if (e.getKey().startsWith(object + " ") && !delivered.contains(e.getKey())
            && !e.getValue().equals(location)) {
          return remember("go to " + e.getValue());
        }
      }
      for (String r : receptacles) {
        if (!visited.contains(r) && !r.equals(location) && !(target != null && r.startsWith(target
            + " "))) {
          return remember("go to " + r);
        }
      }
      for (String r : receptacles) {
        if (!visited.contains(r) && !r.equals(location)) {
          return remember("go to " + r);
        }
      }
      return remember("look");
    }
    if (light) {
      for (String a : actions) {
        if (a.startsWith("use ")) {
          return remember(a);
        }
      }
      String lamp = whereSeen.get("desklamp 1");
      if (lamp != null && !lamp.equals(location)) {
        return remember("go to " + lamp);
      }
      for (String r : receptacles) {
        if (!visited.contains(r) && !r.equals(location)) {
          return remember("go to " + r);
        }
      }
      return remember("look");
    }
    if (process != null && !processed) {
      String appliance = switch (process) {
        case "clean" -> "sinkbasin";
        case "heat" -> "microwave";
        default -> "fridge";
      };
      for (String a : actions) {
        if (a.startsWith(process + " " + holding + " with ")) {
          processed = true;
          return remember(a);
        }
      }
      for (String r : receptacles) {
        if (r.startsWith(appliance + " ")) {
          return remember("go to " + r);
        }
      }
    }
    if (location != null && location.startsWith(target + " ")) {
      if (actions.contains("open " + location)) {
        return remember("open " + location);
      }
      String put = "put " + holding + " in/on " + location;
      if (actions.contains(put)) {
        delivered.add(holding);
        holding = null;
        return remember(put);
      }
    }
    for (String r : receptacles) {
      if (r.startsWith(target + " ")) {
        return remember("go to " + r);
      }
    }
    return remember("look");
  }

  private static String objectOf(String take) {
    return take.substring(5, take.indexOf(" from "));
  }

  private String remember(String action) {
    lastAction = action;
    if (action.startsWith("go to ")) {
      location = action.substring(6);
    } else if (action.startsWith("take ")) {
      holding = objectOf(action);
      whereSeen.remove(holding);
    }
    return action;
  }

  /** Updates memory from the feedback of the last command. */
  private void track(String text) {
    if (location == null) {
      return;
    }
    if (text.startsWith("You arrive at ") || text.startsWith("You open the ")) {
      boolean closed = text.contains(" is closed.");
      if (!closed) {
        visited.add(location);
      }
      int i = text.indexOf("you see ");
      if (i >= 0) {
        Matcher m = SEEN.matcher(text.substring(i));
        while (m.find()) {
          if (!delivered.contains(m.group(1)) && !m.group(1).equals(holding)) {
            whereSeen.put(m.group(1), location);
          }
        }
      }
    }
  }
}
