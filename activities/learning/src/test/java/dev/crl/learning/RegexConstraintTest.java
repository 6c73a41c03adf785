package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.RegexConstraint;
import dev.crl.learning.sampling.SamplingParams;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** An untrained model, constrained by a grammar, emits only texts in that grammar. */
class RegexConstraintTest {
  @Test
  void randomModelOnlyEmitsGrammaticalOperations() {
    List<String> words = new ArrayList<>(List.of("{", "}", "op", "add", "update", "return", "=", "idx", "0", "1", "2", "text", "hello", "world"));
    WordTokenizer tok = WordTokenizer.of(words);
    String grammar = "\\{ op = (add text( (hello|world)){1,3}|update idx = [0-2] text( (hello|world)){1,3}|return) \\}";
    try (PolicyModel model = PolicyModel.createTiny("tiny", tok, 21)) {
      List<int[]> prompts = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        prompts.add(tok.encode("hello world " + (i % 3)));
      }
      RegexConstraint c = new RegexConstraint(grammar, tok);
      List<Generation> out = model.generate(prompts, SamplingParams.sample(16, 1.0).withConstraint(c), 5);
      Pattern p = Pattern.compile(grammar);
      int unconstrainedValid = 0;
      for (Generation g : out) {
        assertTrue(p.matcher(g.text()).matches(), "not grammatical: '" + g.text() + "' (" + g.finishReason() + ")");
      }
      for (Generation g : model.generate(prompts, SamplingParams.sample(16, 1.0), 5)) {
        unconstrainedValid += p.matcher(g.text()).matches() ? 1 : 0;
      }
      assertTrue(unconstrainedValid < 3, "without the constraint a random model should rarely be grammatical");
    }
  }
}
