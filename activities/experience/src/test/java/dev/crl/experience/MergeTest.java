package dev.crl.experience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.AppliedOperation.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MergeTest {

  private static final Pattern ITEM = Pattern.compile("^\\[(\\d+)] <title>([^<]*)</title>", Pattern.MULTILINE);

  @Test
  void mergesDuplicatesAcrossWindowsAndCarriesTheMergedLessonForward() {
    ScriptedExtractor extractor = new ScriptedExtractor(p -> ScriptedExtractor.noChange());
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      // Seven lessons; "Keys" appears three times, in both windows of a chunk-5 pass.
      List<String> titles = List.of("Keys", "Doors", "Keys", "Stairs", "Vague", "Keys", "Boulders");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < titles.size(); i++) {
        String title = titles.get(i);
        extractor.answer(p -> ScriptedExtractor.add(title, "lesson about " + title.toLowerCase()));
        manager.submit(TestBanks.request("ep-" + i, "goal " + i, true, List.of()));
        ids.add(manager.drainDistillation().get(0).applied().get(0).entryId());
      }
      // The scripted extractor merges every "Keys" item it sees, rewrites "Vague" and keeps the rest.
      extractor.answer(MergeTest::mergeKeys);
      MergeReport report = manager.merge(5);

      assertEquals(2, report.windows());
      assertEquals(0, report.rejectedWindows());
      // Window 1: items 0..4 → Keys(0)+Keys(2) merged into ids[0], Vague rewritten.
      // Window 2: carried merged Keys + items 5, 6 → merged with Keys(5).
      assertEquals(List.of(
          new AppliedOperation(Kind.REWRITTEN, ids.get(4), 2),
          new AppliedOperation(Kind.MERGED, ids.get(0), 2),
          new AppliedOperation(Kind.REMOVED_BY_MERGE, ids.get(2), 0),
          new AppliedOperation(Kind.MERGED, ids.get(0), 3),
          new AppliedOperation(Kind.REMOVED_BY_MERGE, ids.get(5), 0)), report.applied());
      assertEquals(5, manager.size());
      ExperienceEntry keys = manager.get(ids.get(0)).orElseThrow();
      assertEquals("Keys", keys.title());
      assertEquals(List.of("ep-0", "ep-2", "ep-5"), keys.provenance().sourceEpisodes());
      assertEquals("Specific", manager.get(ids.get(4)).orElseThrow().title());
      assertEquals(2, report.samples().size());
      assertEquals(2, manager.operationCounts().get("merge.merged"));
      assertTrue(extractor.prompts().get(extractor.prompts().size() - 1).startsWith("You maintain a bank"));
    }
  }

  @Test
  void aRejectedWindowChangesNothing() {
    ScriptedExtractor extractor = new ScriptedExtractor(p -> ScriptedExtractor.add("Only", "one lesson"));
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      manager.submit(TestBanks.request("ep-1", "goal", true, List.of()));
      manager.drainDistillation();
      List<ExperienceEntry> before = manager.entries();
      extractor.answer(p -> "<answer>\n### 0: FORGET\n</answer>");
      MergeReport report = manager.merge(5);
      assertEquals(1, report.rejectedWindows());
      assertEquals(before, manager.entries());
    }
  }

  @Test
  void boundedPassesHeartbeatAndTogetherSweepTheWholeBank() {
    ScriptedExtractor extractor = new ScriptedExtractor(p -> ScriptedExtractor.noChange());
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      List<String> titles = new ArrayList<>();
      for (int i = 0; i < 23; i++) {
        String title = "Lesson" + i;
        titles.add(title);
        extractor.answer(p -> ScriptedExtractor.add(title, "lesson number " + title));
        manager.submit(TestBanks.request("ep-" + i, "goal " + i, true, List.of()));
        manager.drainDistillation();
      }
      extractor.answer(MergeTest::keepAll);
      List<Integer> beats = new ArrayList<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      List<Integer> windowsPerPass = new ArrayList<>();
      for (int pass = 0; pass < 3; pass++) {
        int promptsBefore = extractor.prompts().size();
        MergeReport report = manager.merge(5, 2, beats::add);
        windowsPerPass.add(report.windows());
        for (String prompt : extractor.prompts().subList(promptsBefore, extractor.prompts().size())) {
          Matcher m = ITEM.matcher(prompt);
          while (m.find()) {
            seen.add(m.group(2));
          }
        }
      }
      // 23 entries in windows of 5 need 5 windows: two passes of two, then one that wraps round.
      assertEquals(List.of(2, 2, 2), windowsPerPass);
      assertEquals(List.of(1, 2, 1, 2, 1, 2), beats);
      assertEquals(new java.util.HashSet<>(titles), seen, "three bounded passes saw every entry");
      assertEquals(23, manager.size());
    }
  }

  @Test
  void aRestoredBankResumesTheSweepWhereTheSnapshotLeftIt() throws Exception {
    ScriptedExtractor extractor = new ScriptedExtractor(p -> ScriptedExtractor.noChange());
    try (ExperienceManager original = TestBanks.manager(extractor, ExperienceManagerConfig.defaults());
        ExperienceManager restored = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      for (int i = 0; i < 23; i++) {
        String title = "Lesson" + i;
        extractor.answer(p -> ScriptedExtractor.add(title, "lesson number " + title));
        original.submit(TestBanks.request("ep-" + i, "goal " + i, true, List.of()));
        original.drainDistillation();
      }
      extractor.answer(MergeTest::keepAll);
      original.merge(5, 2, w -> {});
      java.io.ByteArrayOutputStream snapshot = new java.io.ByteArrayOutputStream();
      original.writeSnapshot(snapshot);
      int cursor = original.mergeCursor();
      assertTrue(cursor > 0, "a bounded pass moved the cursor");

      restored.restore(new java.io.ByteArrayInputStream(snapshot.toByteArray()));
      restored.resumeMergeAt(cursor);
      int before = extractor.prompts().size();
      original.merge(5, 2, w -> {});
      List<String> expected = titlesIn(extractor.prompts().subList(before, extractor.prompts().size()));
      before = extractor.prompts().size();
      restored.merge(5, 2, w -> {});
      List<String> resumed = titlesIn(extractor.prompts().subList(before, extractor.prompts().size()));
      assertEquals(expected, resumed, "the restored bank's pass covers what the original's next pass did");
      assertTrue(!resumed.contains("Lesson0"), "the sweep did not start over from the oldest entry: " + resumed);
    }
  }

  private static List<String> titlesIn(List<String> prompts) {
    List<String> titles = new ArrayList<>();
    for (String prompt : prompts) {
      Matcher m = ITEM.matcher(prompt);
      while (m.find()) {
        titles.add(m.group(2));
      }
    }
    return titles;
  }

  private static String keepAll(String prompt) {
    Matcher m = ITEM.matcher(prompt);
    StringBuilder blocks = new StringBuilder();
    while (m.find()) {
      blocks.append("### ").append(m.group(1)).append(": RETURN\n");
    }
    return "<answer>\n" + blocks + "</answer>";
  }

  private static String mergeKeys(String prompt) {
    Matcher m = ITEM.matcher(prompt);
    List<Integer> keys = new ArrayList<>();
    StringBuilder blocks = new StringBuilder();
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      switch (m.group(2)) {
        case "Keys" -> keys.add(index);
        case "Vague" -> blocks.append("### ").append(index)
            .append(": REWRITE\n<title>Specific</title><content>a sharper lesson</content>\n");
        default -> blocks.append("### ").append(index).append(": RETURN\n");
      }
    }
    if (keys.size() == 1) {
      blocks.append("### ").append(keys.get(0)).append(": RETURN\n");
    } else if (keys.size() > 1) {
      blocks.append("### ").append(String.join(",", keys.stream().map(String::valueOf).toList()))
          .append(": MERGE\n<title>Keys</title><content>take the key first</content>\n");
    }
    return "<answer>\n" + blocks + "</answer>";
  }
}
