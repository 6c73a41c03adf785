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
  private static final Pattern OPTION =
      Pattern.compile("([a-z]+): (.+?)(?= and [a-z]+: |, and price|$)");
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
      // The instruction names options as "name: value"; an item must offer every named value.
      List<String> wantedOptions = new ArrayList<>();
      Matcher om = OPTION.matcher(instruction);
      while (om.find()) {
        wantedOptions.add("click[" + om.group(2).trim() + "]");
      }
      for (String a : wantedOptions) {
        if (!actions.contains(a)) {
          return "click[< prev]";
        }
      }
      for (String a : wantedOptions) {
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
