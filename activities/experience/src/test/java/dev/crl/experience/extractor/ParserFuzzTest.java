package dev.crl.experience.extractor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.DistillationRequest;
import dev.crl.experience.DistillationResult;
import dev.crl.experience.ExperienceManager;
import dev.crl.experience.ExperienceManagerConfig;
import dev.crl.experience.ScriptedExtractor;
import dev.crl.experience.TestBanks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds 100,000 malformed extractor responses through the real manager. Every generator below
 * produces text that is invalid by construction (the comment says which rule it breaks), so every
 * response must be rejected, nothing may be thrown, and the bank's snapshot bytes must not change.
 */
class ParserFuzzTest {

  private static final int RESPONSES = 100_000;
  private static final String LESSON = "<title>Keys</title><content>Pick up the key first.</content>";

  @Test
  void hundredThousandMalformedResponsesChangeNothing() throws IOException {
    Random random = new Random(20260321);
    ScriptedExtractor extractor = new ScriptedExtractor(p -> ScriptedExtractor.add("Seed", "seed lesson"));
    ExperienceManagerConfig config = ExperienceManagerConfig.builder().optMaxDistillationBatch(500).optLessonsShown(0).build();
    try (ExperienceManager manager = TestBanks.manager(extractor, config)) {
      for (int i = 0; i < 3; i++) {
        manager.submit(new DistillationRequest("seed-" + i, "g" + i, "o", true, List.of(), List.of()));
      }
      manager.drainDistillation();
      List<String> used = manager.entries().stream().map(e -> e.id()).toList();
      byte[] before = snapshot(manager);
      extractor.answer(p -> malformed(random));
      int processed = 0;
      int rejected = 0;
      while (processed < RESPONSES) {
        for (int i = 0; i < 500; i++) {
          // Each prompt shows the three seed lessons, so valid indices are 0..2.
          manager.submit(new DistillationRequest("ep-" + processed + "-" + i, "g", "o", false, used, List.of()));
        }
        for (DistillationResult r : manager.drainDistillation()) {
          processed++;
          assertFalse(r.accepted(), "accepted a malformed response");
          assertTrue(r.applied().isEmpty());
          rejected++;
        }
      }
      assertEquals(RESPONSES, rejected);
      assertArrayEquals(before, snapshot(manager));
      assertEquals(RESPONSES, manager.operationCounts().get("distillation.rejected"));
    }
  }

  private static byte[] snapshot(ExperienceManager manager) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    manager.writeSnapshot(out);
    return out.toByteArray();
  }

  private static String valid(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> "[{\"option\": \"add\", \"new_memory\": \"" + LESSON + "\"}]";
      case 1 -> "[{\"option\": \"update\", \"target_idx\": [" + r.nextInt(3) + "], \"new_memory\": \"" + LESSON + "\"}]";
      default -> "[{\"option\": \"add\", \"new_memory\": \"" + LESSON + "\"}, {\"option\": \"update\", \"target_idx\": [0, 2], \"new_memory\": \"" + LESSON + "\"}]";
    };
  }

  static String malformed(Random r) {
    String body = valid(r);
    return switch (r.nextInt(14)) {
      // The closing tag is cut off somewhere inside the answer.
      case 0 -> ("<answer>" + body + "</answer>").substring(0, 8 + r.nextInt(body.length()));
      // A structural JSON character is deleted, so the array no longer parses.
      case 1 -> "<answer>" + deleteOne(body, r, "[]{}\":,") + "</answer>";
      // An operation name that does not exist.
      case 2 -> "<answer>" + body.replaceFirst("\"(add|update)\"", "\"" + randomWord(r) + "\"") + "</answer>";
      // A target index outside the three lessons shown.
      case 3 -> "<answer>[{\"option\": \"update\", \"target_idx\": [" + (3 + r.nextInt(1_000_000)) + "], \"new_memory\": \"" + LESSON + "\"}]</answer>";
      // Negative index.
      case 4 -> "<answer>[{\"option\": \"update\", \"target_idx\": [-" + (1 + r.nextInt(9)) + "], \"new_memory\": \"" + LESSON + "\"}]</answer>";
      // Empty lesson content.
      case 5 -> "<answer>[{\"option\": \"add\", \"new_memory\": \"<title>t</title><content>" + " ".repeat(r.nextInt(3)) + "</content>\"}]</answer>";
      // Lesson over the length limit.
      case 6 -> "<answer>[{\"option\": \"add\", \"new_memory\": \"<title>t</title><content>" + "y".repeat(4_000 + r.nextInt(100)) + "</content>\"}]</answer>";
      // More than three operations.
      case 7 -> "<answer>[" + String.join(",", java.util.Collections.nCopies(4 + r.nextInt(5), "{\"option\": \"return\"}")) + "]</answer>";
      // Random printable garbage with no answer block at all.
      case 8 -> randomText(r, 1 + r.nextInt(300)).replace("<answer>", "");
      // Text after the answer block.
      case 9 -> "<answer>" + body + "</answer>" + randomWord(r);
      // An extra field in an operation.
      case 10 -> "<answer>" + body.replaceFirst("\\{", "{\"" + randomWord(r) + "x\": 1, ") + "</answer>";
      // A field of the wrong type.
      case 11 -> "<answer>[{\"option\": \"update\", \"target_idx\": \"" + r.nextInt(3) + "\", \"new_memory\": \"" + LESSON + "\"}]</answer>";
      // Return mixed with other operations.
      case 12 -> "<answer>[{\"option\": \"return\"}, " + body.substring(1) + "</answer>";
      // Deeply nested arrays.
      default -> "<answer>" + "[".repeat(1 + r.nextInt(5_000)) + "</answer>";
    };
  }

  private static String deleteOne(String s, Random r, String chars) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0 && !insideLesson(s, i)) {
        positions.add(i);
      }
    }
    // Deleting the first '[' or last ']' or any brace/quote/colon/comma outside strings breaks JSON.
    int at = positions.get(r.nextInt(positions.size()));
    return s.substring(0, at) + s.substring(at + 1);
  }

  private static boolean insideLesson(String s, int i) {
    int start = s.indexOf("<title>");
    while (start >= 0) {
      int end = s.indexOf("</content>", start);
      if (i >= start && i < end + "</content>".length()) {
        return true;
      }
      start = s.indexOf("<title>", end);
    }
    return false;
  }

  private static String randomWord(Random r) {
    return randomText(r, 1 + r.nextInt(12)).replaceAll("[^a-z]", "q");
  }

  private static String randomText(Random r, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) (32 + r.nextInt(95)));
    }
    return b.toString();
  }
}
