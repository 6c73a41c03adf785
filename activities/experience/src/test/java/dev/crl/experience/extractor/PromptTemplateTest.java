package dev.crl.experience.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

  @Test
  void consolidationTemplateHasTheProtocolSlots() {
    PromptTemplate t = PromptTemplate.load("consolidation.txt");
    assertEquals(Set.of("goal", "outcome", "interaction", "lessons"), t.placeholders());
    String rendered = t.render(Map.of("goal", "reach {{the}} stairs", "outcome", "failure", "interaction", "a$1\\b",
        "lessons", "(none)"));
    // Values are inserted verbatim, even when they look like placeholders or regex replacements.
    assertTrue(rendered.contains("reach {{the}} stairs"));
    assertTrue(rendered.contains("a$1\\b"));
  }

  @Test
  void missingOrExtraValuesAreErrors() {
    PromptTemplate t = PromptTemplate.load("retrieval-query.txt");
    assertThrows(IllegalArgumentException.class, () -> t.render(Map.of("goal", "g")));
    assertThrows(IllegalArgumentException.class,
        () -> t.render(Map.of("goal", "g", "observation", "o", "extra", "x")));
    assertThrows(IllegalStateException.class, () -> PromptTemplate.load("no-such-template.txt"));
  }
}
