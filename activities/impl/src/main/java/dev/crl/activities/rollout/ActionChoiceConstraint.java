package dev.crl.activities.rollout;

import dev.crl.learning.sampling.OneTokenOf;
import dev.crl.learning.sampling.TokenConstraint;
import dev.crl.learning.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Restricts a word-level model's answer to one token that names an available action: the action
 * itself when it is one known word, otherwise its number in the prompt's list (the environments
 * accept both). This is invalid-action masking, used for tiny models trained from scratch: they stand in
 * for a pretrained LLM that already knows the answer format, so their RL budget goes to choosing
 * actions rather than to discovering which of hundreds of words are actions at all. Pretrained
 * actors are not constrained; their free text is parsed and invalid answers are penalised.
 */
public final class ActionChoiceConstraint {
  private ActionChoiceConstraint() {}

  /** The constraint for one turn; falls back to no constraint if no action maps to a token. */
  public static TokenConstraint forActions(List<String> actions, Tokenizer tokenizer) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      // One token per action: a one-word action is chosen by its word, any other by its number.
      // Two tokens for the same action would split its probability and halve the learning signal
      // each of them gets.
      if (!addIfOneToken(ids, actions.get(i), tokenizer)) {
        addIfOneToken(ids, Integer.toString(i + 1), tokenizer);
      }
    }
    return ids.isEmpty() ? null : new OneTokenOf(ids.stream().mapToInt(Integer::intValue).toArray());
  }

  private static boolean addIfOneToken(List<Integer> ids, String word, Tokenizer tokenizer) {
    if (word.isBlank() || word.chars().anyMatch(Character::isWhitespace)) {
      return false;
    }
    int[] t = tokenizer.encode(word);
    // A word the vocabulary lacks encodes to the unknown token, which names no action.
    if (t.length == 1 && tokenizer.decode(t).equals(word)) {
      if (!ids.contains(t[0])) {
        ids.add(t[0]);
      }
      return true;
    }
    return false;
  }
}
