package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crl.learning.rl.Advantages;
import dev.crl.learning.tokenizer.ChatTemplate;
import dev.crl.learning.tokenizer.Tokenizer;
import dev.crl.learning.tokenizer.Tokenizers;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdvantagesAndTokenizerTest {

  @Test
  void grpoSplitNormalisesEachSubgroupOnItsOwn() {
    double[] rewards = {1, 0, 0, 0, 1, 1, 1, 0};
    List<String> groups = List.of("free", "free", "free", "free", "guided", "guided", "guided", "guided");
    double[] centred = Advantages.grpoSplit(rewards, groups, false);
    assertArrayEquals(new double[] {0.75, -0.25, -0.25, -0.25, 0.25, 0.25, 0.25, -0.75}, centred, 1e-12);
    double[] scaled = Advantages.grpoSplit(rewards, groups, true);
    double std = Math.sqrt(0.1875);
    assertEquals(0.75 / (std + Advantages.STD_EPS), scaled[0], 1e-9);
    assertEquals(-0.75 / (std + Advantages.STD_EPS), scaled[7], 1e-9);
    assertArrayEquals(new double[] {0, 0}, Advantages.grpoSplit(new double[] {1, 1}, List.of("g", "g"), true), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Advantages.grpoSplit(new double[] {1}, List.of(), true));
  }

  @Test
  void batchMeanBaseline() {
    assertArrayEquals(new double[] {1.5, -0.5, -0.5, -0.5}, Advantages.batchMean(new double[] {1, -1, -1, -1}), 1e-12);
  }

  @Test
  void wordTokenizerRoundTripsThroughTokenizerJson(@TempDir Path dir) throws Exception {
    WordTokenizer tok = WordTokenizer.of(List.of("go", "north", "south"));
    tok.save(dir);
    Tokenizer loaded = Tokenizers.load(dir);
    assertArrayEquals(tok.encode("go north  south unknown"), loaded.encode("go north  south unknown"));
    assertEquals("go north", loaded.decode(new int[] {tok.id("go"), tok.id("north"), tok.eosId(), tok.padId()}));
    assertEquals(tok.id(WordTokenizer.UNK), tok.encode("unknown")[0]);
  }

  @Test
  void chatTemplateRendersAHuggingFaceStyleTemplate() {
    String template = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
        + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    ChatTemplate t = new ChatTemplate(template, null, "<|im_end|>");
    String out = t.render(List.of(new ChatTemplate.Message("system", "Be brief."), new ChatTemplate.Message("user", "Hi")), true);
    assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", out);
  }
}
