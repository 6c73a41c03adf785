package dev.crl.experience.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ExtractorResponseParserTest {

  private static final String LESSON = "<title>Keys</title><content>Pick up the key before the door.</content>";
  private final ExtractorResponseParser parser = new ExtractorResponseParser();

  @Test
  void acceptsAddUpdateAfterThinking() {
    String response = "<think>the door needs a key; <answer> inside thinking is ignored</think>Here goes.\n"
        + "<answer>[{\"option\": \"add\", \"new_memory\": \"" + LESSON + "\"},"
        + " {\"option\": \"update\", \"target_idx\": [1, 0], \"new_memory\": \"" + LESSON + "\"}]</answer>\n";
    ParseOutcome<ExtractorOperation> outcome = parser.parse(response, 2);
    assertTrue(outcome.isAccepted(), outcome.detail());
    assertEquals(new ExtractorOperation.Add("Keys", "Pick up the key before the door."), outcome.operations().get(0));
    ExtractorOperation.Update update = (ExtractorOperation.Update) outcome.operations().get(1);
    assertEquals(List.of(1, 0), update.targetIndices());
  }

  @Test
  void acceptsReturnAlone() {
    ParseOutcome<ExtractorOperation> outcome = parser.parse("<answer>[{\"option\":\"return\"}]</answer>", 0);
    assertTrue(outcome.isAccepted());
    assertEquals(List.of(new ExtractorOperation.Return()), outcome.operations());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no answer block | [{\"option\":\"return\"}] | MISSING_ANSWER",
        "text after answer | <answer>[{\"option\":\"return\"}]</answer> trailing | MISSING_ANSWER",
        "two answers | <answer>[]</answer><answer>[]</answer> | MISSING_ANSWER",
        "broken json | <answer>[{\"option\":\"return\"</answer> | MALFORMED_JSON",
        "trailing json | <answer>[{\"option\":\"return\"}] []</answer> | MALFORMED_JSON",
        "object not array | <answer>{\"option\":\"return\"}</answer> | MALFORMED_JSON",
        "duplicate key | <answer>[{\"option\":\"return\",\"option\":\"return\"}]</answer> | MALFORMED_JSON",
        "empty list | <answer>[]</answer> | WRONG_OPERATION_COUNT",
        "too many | <answer>[{\"option\":\"return\"},{\"option\":\"return\"},{\"option\":\"return\"},{\"option\":\"return\"}]</answer> | WRONG_OPERATION_COUNT",
        "unknown op | <answer>[{\"option\":\"delete\"}]</answer> | UNKNOWN_OPERATION",
        "uppercase op | <answer>[{\"option\":\"ADD\",\"new_memory\":\"x\"}]</answer> | UNKNOWN_OPERATION",
        "missing option | <answer>[{\"new_memory\":\"x\"}]</answer> | BAD_FIELD",
        "extra field | <answer>[{\"option\":\"return\",\"why\":1}]</answer> | BAD_FIELD",
        "index as string | <answer>[{\"option\":\"update\",\"target_idx\":[\"0\"],\"new_memory\":\"<title>a</title><content>b</content>\"}]</answer> | BAD_FIELD",
        "fractional index | <answer>[{\"option\":\"update\",\"target_idx\":[0.5],\"new_memory\":\"<title>a</title><content>b</content>\"}]</answer> | BAD_FIELD",
        "empty targets | <answer>[{\"option\":\"update\",\"target_idx\":[],\"new_memory\":\"<title>a</title><content>b</content>\"}]</answer> | BAD_FIELD",
        "index out of range | <answer>[{\"option\":\"update\",\"target_idx\":[2],\"new_memory\":\"<title>a</title><content>b</content>\"}]</answer> | INDEX_OUT_OF_RANGE",
        "negative index | <answer>[{\"option\":\"update\",\"target_idx\":[-1],\"new_memory\":\"<title>a</title><content>b</content>\"}]</answer> | INDEX_OUT_OF_RANGE",
        "empty content | <answer>[{\"option\":\"add\",\"new_memory\":\"<title>a</title><content> </content>\"}]</answer> | BAD_TEXT",
        "no title | <answer>[{\"option\":\"add\",\"new_memory\":\"just text\"}]</answer> | BAD_TEXT",
        "memory not string | <answer>[{\"option\":\"add\",\"new_memory\":42}]</answer> | BAD_TEXT",
        "return mixed | <answer>[{\"option\":\"return\"},{\"option\":\"add\",\"new_memory\":\"<title>a</title><content>b</content>\"}]</answer> | INCONSISTENT",
        "target twice | <answer>[{\"option\":\"update\",\"target_idx\":[0,0],\"new_memory\":\"<title>a</title><content>b</content>\"}]</answer> | INCONSISTENT",
      })
  void rejectsWithAReason(String name, String response, RejectionReason expected) {
    ParseOutcome<ExtractorOperation> outcome = parser.parse(response, 2);
    assertFalse(outcome.isAccepted(), name);
    assertEquals(expected, outcome.rejection(), name + ": " + outcome.detail());
    assertTrue(outcome.operations().isEmpty());
  }

  @Test
  void rejectsOversizedLessons() {
    String big = "x".repeat(ExtractorResponseParser.DEFAULT_MAX_LESSON_CHARS);
    String response = "<answer>[{\"option\":\"add\",\"new_memory\":\"<title>t</title><content>" + big + "</content>\"}]</answer>";
    assertEquals(RejectionReason.BAD_TEXT, parser.parse(response, 0).rejection());
  }

  @Test
  void nullAndDeeplyNestedInputAreRejectedNotThrown() {
    assertEquals(RejectionReason.MISSING_ANSWER, parser.parse(null, 0).rejection());
    String deep = "<answer>" + "[".repeat(100_000) + "</answer>";
    assertFalse(parser.parse(deep, 0).isAccepted());
  }
}
