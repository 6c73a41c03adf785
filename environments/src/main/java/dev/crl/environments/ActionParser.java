package dev.crl.environments;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The forgiving action parser every environment shares.
 *
 * <p>It accepts an action bare or inside {@code <answer>...</answer>} (the last such block wins,
 * because models often restate earlier drafts), ignores case and extra whitespace, strips quotes and
 * trailing punctuation, maps aliases such as {@code n} to {@code north}, and accepts the 1-based
 * index of an available action. It never throws: anything it cannot map yields a {@link Resolution}
 * with an error message that the environment shows to the agent.
 */
public final class ActionParser {

  /** Longer inputs are rejected outright so adversarial strings cannot make parsing slow. */
  public static final int MAX_ACTION_CHARS = 4096;

  private static final int ECHO_CHARS = 60;

  private ActionParser() {}

  /** The result of resolving raw text against the available actions. */
  public record Resolution(String action, String error) {

    static Resolution ok(String action) {
      return new Resolution(action, null);
    }

    static Resolution fail(String error) {
      return new Resolution(null, error);
    }

    public boolean valid() {
      return action != null;
    }
  }

  /**
   * Returns the action text inside the last {@code <answer>} block, or the whole input when there is
   * none, normalised; never null.
   */
  public static String extract(String raw) {
    if (raw == null) {
      return "";
    }
    String s = raw;
    if (s.length() > MAX_ACTION_CHARS * 4) {
      s = s.substring(s.length() - MAX_ACTION_CHARS * 4);
    }
    String lower = s.toLowerCase(Locale.ROOT);
    int open = lower.lastIndexOf("<answer>");
    if (open >= 0) {
      int close = lower.indexOf("</answer>", open);
      s = close >= 0 ? s.substring(open + 8, close) : s.substring(open + 8);
    } else {
      int close = lower.lastIndexOf("</answer>");
      if (close >= 0) {
        s = s.substring(0, close);
      }
    }
    return normalize(s);
  }

  /** Trims, collapses whitespace, and removes wrapping quotes and trailing sentence punctuation. */
  public static String normalize(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_ACTION_CHARS + 1));
    boolean space = false;
    for (int i = 0; i < s.length() && sb.length() <= MAX_ACTION_CHARS; i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    String out = sb.toString();
    boolean changed = true;
    while (changed && !out.isEmpty()) {
      changed = false;
      char first = out.charAt(0);
      char last = out.charAt(out.length() - 1);
      if (out.length() >= 2 && isQuote(first) && isQuote(last)) {
        out = out.substring(1, out.length() - 1).trim();
        changed = true;
      } else if (last == '.' || last == '!' || last == ';' || last == ',') {
        out = out.substring(0, out.length() - 1).trim();
        changed = true;
      }
    }
    return out;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`' || c == '*';
  }

  /**
   * Maps raw text to one of {@code available}: exact match ignoring case, then an alias, then a
   * 1-based index. Aliases map lower-case spellings to canonical actions.
   */
  public static Resolution resolve(String raw, List<String> available, Map<String, String> aliases) {
    String text = extract(raw);
    if (text.isEmpty()) {
      return Resolution.fail("Empty action. Answer with one of the available actions.");
    }
    if (text.length() > MAX_ACTION_CHARS) {
      return Resolution.fail("The action is too long. Answer with one of the available actions.");
    }
    String found = matchIgnoringCase(text, available);
    if (found != null) {
      return Resolution.ok(found);
    }
    String key = text.toLowerCase(Locale.ROOT);
    String alias = aliases.get(key);
    if (alias != null) {
      String canonical = matchIgnoringCase(alias, available);
      if (canonical != null) {
        return Resolution.ok(canonical);
      }
      return Resolution.fail("The action \"" + echo(text) + "\" is not available now.");
    }
    Integer index = parseIndex(text);
    if (index != null) {
      if (index >= 1 && index <= available.size()) {
        return Resolution.ok(available.get(index - 1));
      }
      return Resolution.fail(
          "There is no action number " + echo(text) + "; choose 1 to " + available.size() + ".");
    }
    return Resolution.fail(
        "Invalid action \"" + echo(text) + "\": it is not one of the available actions.");
  }

  static String matchIgnoringCase(String text, List<String> available) {
    for (String a : available) {
      if (a.equalsIgnoreCase(text)) {
        return a;
      }
    }
    return null;
  }

  /** Parses small positive integers such as {@code 3} or {@code 3.}; returns null otherwise. */
  static Integer parseIndex(String text) {
    if (text.isEmpty() || text.length() > 4) {
      return null;
    }
    int v = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Shortens and flattens user text before echoing it inside an observation. */
  public static String echo(String text) {
    String t = text.replace('\n', ' ').replace('\r', ' ');
    return t.length() <= ECHO_CHARS ? t : t.substring(0, ECHO_CHARS) + "...";
  }
}
