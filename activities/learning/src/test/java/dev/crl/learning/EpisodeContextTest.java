package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crl.learning.rl.EpisodeContext;
import dev.crl.learning.rl.RlSample;
import org.junit.jupiter.api.Test;

class EpisodeContextTest {
  @Test
  void onlyModelTokensAreTrainableAndKeepTheirLogprobs() {
    EpisodeContext ctx = new EpisodeContext()
        .appendPrompt(new int[] {1, 2, 3})
        .appendModel(new int[] {4, 5}, new float[] {-0.5f, -0.25f})
        .appendEnvironment(new int[] {6})
        .appendModel(new int[] {7}, new float[] {-1f});
    RlSample s = ctx.toSample(0.5, 2.0);
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7}, s.tokens());
    assertArrayEquals(new boolean[] {false, false, false, true, true, false, true}, s.trainable());
    assertEquals(-0.25f, s.oldLogprobs()[4]);
    assertEquals(-1f, s.oldLogprobs()[6]);
    assertEquals(3, ctx.modelTokenCount());
    assertEquals(EpisodeContext.Source.ENVIRONMENT, ctx.sourceAt(5));
    assertEquals(4, ctx.segments().size());
    assertThrows(IllegalArgumentException.class, () -> new EpisodeContext().appendModel(new int[] {1}, new float[] {0f}));
    assertThrows(IllegalArgumentException.class, () -> ctx.appendModel(new int[] {1, 2}, new float[] {0f}));
  }
}
