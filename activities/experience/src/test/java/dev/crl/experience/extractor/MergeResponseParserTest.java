package dev.crl.experience.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MergeResponseParserTest {

  private final MergeResponseParser parser = new MergeResponseParser();

  @Test
  void parsesEveryDecisionKind() {
    String response = "<think>1 and 3 say the same</think><answer>\n"
        + "### 0: RETURN\n"
        + "### 1,3: MERGE\n<title>Keys</title><content>Take the key first.</content>\n"
        + "### 2: DISCARD\n"
        + "### 4: REWRITE\n<title>Doors</title>\n<content>Open, then move.</content>\n"
        + "</answer>";
    ParseOutcome<MergeDecision> outcome = parser.parse(response, 5);
    assertTrue(outcome.isAccepted(), outcome.detail());
    assertEquals(
        List.of(
            new MergeDecision.Keep(0),
            new MergeDecision.Merge(List.of(1, 3), "Keys", "Take the key first."),
            new MergeDecision.Discard(2),
            new MergeDecision.Rewrite(4, "Doors", "Open, then move.")),
        outcome.operations());
  }

  @Test
  void rejectsIncompleteOrContradictoryWindows() {
    assertReject("<answer>\n### 0: RETURN\n</answer>", 2, RejectionReason.INCONSISTENT);
    assertReject("<answer>\n### 0: RETURN\n### 0: DISCARD\n</answer>", 1, RejectionReason.INCONSISTENT);
    assertReject("<answer>\n### 0: MERGE\n<title>a</title><content>b</content>\n</answer>", 1, RejectionReason.INCONSISTENT);
    assertReject("<answer>\n### 0,1: REWRITE\n<title>a</title><content>b</content>\n</answer>", 2, RejectionReason.INCONSISTENT);
    assertReject("<answer>\n### 5: RETURN\n</answer>", 2, RejectionReason.INDEX_OUT_OF_RANGE);
    assertReject("<answer>\n### 0: KEEP\n</answer>", 1, RejectionReason.MALFORMED_JSON);
    assertReject("<answer>\n### 0: REWRITE\nno lesson\n</answer>", 1, RejectionReason.BAD_TEXT);
    assertReject("<answer>\n### 0: DISCARD\n<title>a</title><content>b</content>\n</answer>", 1, RejectionReason.BAD_TEXT);
    assertReject("### 0: RETURN", 1, RejectionReason.MISSING_ANSWER);
    assertReject("<answer>preamble\n### 0: RETURN\n</answer>", 1, RejectionReason.MALFORMED_JSON);
  }

  private void assertReject(String response, int items, RejectionReason reason) {
    ParseOutcome<MergeDecision> outcome = parser.parse(response, items);
    assertFalse(outcome.isAccepted(), response);
    assertEquals(reason, outcome.rejection(), response + " -> " + outcome.detail());
  }
}
