package dev.crl.environments.webshop;

import dev.crl.environments.Observation;
import dev.crl.environments.TextPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted WebShop shopper that reads only the page text: it searches with the instruction, opens
 * the affordable result whose title shares most words with the instruction, clicks every option
 * value the instruction names, and buys. Items offering none of the named options are skipped.
 */
public final class WebShopExpert implements TextPolicy {

  private static final Pattern PRICE = Pattern.compile("price lower than ([0-9]+(?:\\.[0-9]+)?)");
  private static final Pattern DOLLARS = Pattern.compile("^\\$([0-9]+(?:\\.[0-9]+)?)$");
  private static final Pattern ASIN = Pattern.compile("^B0[A-Z0-9]{8}$");

  private final Set<String> tried = new HashSet<>();
  private final Set<String> clicked = new HashSet<>();
  private String opened;

  @Override
  public void reset() {
    tried.clear();
    clicked.clear();
    opened = null;
  }

  @Override
  public String act(Observation obs) {
    String instruction = obs.goal().toLowerCase(Locale.ROOT);
    List<String> actions = obs.availableActions();
    if (actions.contains(WebShopEnvironment.SEARCH_ACTION)) {
      String query = instruction.replaceAll(",? and price lower than.*$", "");
      return "search[" + query + "]";
    }
    if (actions.contains("click[buy now]")) {
      List<String> matches = new ArrayList<>();
      boolean hasOptions = false;
      for (String a : actions) {
        String v = a.substring(6, a.length() - 1);
        if (isButton(v)) {
          continue;
        }
        hasOptions = true;
        if (mentions(instruction, v)) {
          matches.add(a);
        }
      }
      if (hasOptions && matches.isEmpty()) {
        return "click[< prev]";
      }
      for (String a : matches) {
        if (clicked.add(opened + "|" + a)) {
          return a;
        }
      }
      return "click[buy now]";
    }
    if (obs.text().contains("Total results")) {
      double bound = Double.MAX_VALUE;
      Matcher pm = PRICE.matcher(instruction);
      if (pm.find()) {
        bound = Double.parseDouble(pm.group(1));
      }
      Set<String> wanted = new HashSet<>(words(instruction));
      String[] parts = obs.text().split(" \\[SEP\\] ");
      String best = null;
      int bestScore = -1;
      for (int i = 0; i + 2 < parts.length; i++) {
        if (!ASIN.matcher(parts[i].trim()).matches()) {
          continue;
        }
        Matcher dm = DOLLARS.matcher(parts[i + 2].trim());
        if (!dm.matches() || Double.parseDouble(dm.group(1)) > bound) {
          continue;
        }
        String asin = parts[i].trim().toLowerCase(Locale.ROOT);
        if (tried.contains(asin)) {
          continue;
        }
        int score = 0;
        for (String w : words(parts[i + 1])) {
          if (wanted.contains(w)) {
            score++;
          }
        }
        if (score > bestScore) {
          bestScore = score;
          best = asin;
        }
      }
      if (best != null) {
        tried.add(best);
        opened = best;
        return "click[" + best + "]";
      }
      if (actions.contains("click[next >]")) {
        return "click[next >]";
      }
      return "click[back to search]";
    }
    return "click[< prev]";
  }

  private static boolean isButton(String v) {
    return switch (v) {
      case "back to search", "< prev", "next >", "description", "features", "reviews",
          "buy now" -> true;
      default -> false;
    };
  }

  /** True when {@code value} occurs in the instruction as whole words. */
  private static boolean mentions(String instruction, String value) {
    int from = 0;
    String v = value.toLowerCase(Locale.ROOT);
    while (true) {
      int i = instruction.indexOf(v, from);
      if (i < 0) {
        return false;
      }
      int end = i + v.length();
      boolean startOk = i == 0 || instruction.charAt(i - 1) == ' ';
      boolean endOk = end == instruction.length() || instruction.charAt(end) == ' '
          || instruction.charAt(end) == ',';
      if (startOk && endOk) {
        return true;
      }
      from = i + 1;
    }
  }

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.toLowerCase(Locale.ROOT).split("[^a-z0-9-]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}
