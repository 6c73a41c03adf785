package dev.crl.learning.sampling;

import dev.crl.learning.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Constrains generation to texts matching a regular expression, for example the extractor's JSON
 * operation format. A token is allowed when the text so far plus the token's text is still a
 * prefix of some match ({@link Matcher#hitEnd()} after a failed full match says exactly that);
 * end-of-sequence is allowed once the text is a full match. Generation stops by itself when the
 * text matches and cannot be extended.
 *
 * <p>Cost is one regex test per distinct first character of the vocabulary plus one per token
 * whose first character survives, per row and step; fine for small vocabularies and short
 * outputs, slow-ish (milliseconds per step) for 50k-token vocabularies.
 */
public final class RegexConstraint implements TokenConstraint {
  private final Pattern pattern;
  private final String[] pieces;
  private final Map<Character, List<Integer>> byFirstChar = new HashMap<>();
  private final int eosId;
  private final boolean spaced;

  public RegexConstraint(String regex, Tokenizer tokenizer) {
    this.pattern = Pattern.compile(regex, Pattern.DOTALL);
    this.eosId = tokenizer.eosId();
    this.spaced = tokenizer.joinsWithSpace();
    this.pieces = new String[tokenizer.vocabSize()];
    for (int id = 0; id < pieces.length; id++) {
      String text = id == eosId || id == tokenizer.padId() ? "" : tokenizer.decode(new int[] {id});
      // Special tokens decode to nothing and can never advance the text, so they are never allowed.
      pieces[id] = text;
      if (!text.isEmpty() && text.indexOf('\uFFFD') < 0) {
        byFirstChar.computeIfAbsent(text.charAt(0), c -> new ArrayList<>()).add(id);
      }
    }
  }

  @Override
  public State start() {
    return new RegexState();
  }

  private enum Verdict {
    DEAD,
    PREFIX,
    MATCH
  }

  private Verdict check(CharSequence text) {
    Matcher m = pattern.matcher(text);
    if (m.matches()) {
      return Verdict.MATCH;
    }
    return m.hitEnd() ? Verdict.PREFIX : Verdict.DEAD;
  }

  private boolean extendable(CharSequence text) {
    Matcher m = pattern.matcher(text);
    boolean matched = m.matches();
    return !matched || m.hitEnd();
  }

  private final class RegexState implements State {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void allowedTokens(boolean[] allowed) {
      String separator = spaced && text.length() > 0 ? " " : "";
      for (Map.Entry<Character, List<Integer>> group : byFirstChar.entrySet()) {
        String head = text + separator + group.getKey();
        if (check(head) == Verdict.DEAD) {
          continue;
        }
        for (int id : group.getValue()) {
          if (check(text + separator + pieces[id]) != Verdict.DEAD) {
            allowed[id] = true;
          }
        }
      }
      if (eosId >= 0 && eosId < allowed.length && check(text) == Verdict.MATCH) {
        allowed[eosId] = true;
      }
    }

    @Override
    public void accept(int tokenId) {
      if (tokenId == eosId) {
        return;
      }
      if (spaced && text.length() > 0) {
        text.append(' ');
      }
      text.append(pieces[tokenId]);
    }

    @Override
    public boolean isComplete() {
      return check(text) == Verdict.MATCH && !extendable(text);
    }
  }
}
