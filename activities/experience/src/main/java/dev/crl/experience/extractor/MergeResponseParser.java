package dev.crl.experience.extractor;

import dev.crl.experience.LessonText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict, total parser for merge responses. Inside {@code <answer>…</answer>} the extractor writes
 * one block per decision, each opened by a header line:
 *
 * <pre>
 * ### 0: RETURN
 * ### 1: DISCARD
 * ### 2: REWRITE
 * &lt;title&gt;…&lt;/title&gt;&lt;content&gt;…&lt;/content&gt;
 * ### 3,4: MERGE
 * &lt;title&gt;…&lt;/title&gt;&lt;content&gt;…&lt;/content&gt;
 * </pre>
 *
 * <p>Every item of the window must be decided exactly once; any defect rejects the whole window.
 */
public final class MergeResponseParser {

  private static final Pattern HEADER =
      Pattern.compile("### *(\\d{1,4}(?: *, *\\d{1,4})*) *: *(MERGE|REWRITE|DISCARD|RETURN) *");

  private final int maxLessonChars;

  /** A parser with the default lesson length limit. */
  public MergeResponseParser() {
    this(ExtractorResponseParser.DEFAULT_MAX_LESSON_CHARS);
  }

  /** A parser that rejects lessons longer than {@code maxLessonChars}. */
  public MergeResponseParser(int maxLessonChars) {
    this.maxLessonChars = maxLessonChars;
  }

  /** Parses the decisions for a window of {@code itemCount} items. */
  public ParseOutcome<MergeDecision> parse(String completion, int itemCount) {
    try {
      return parseChecked(completion, itemCount);
    } catch (RuntimeException | StackOverflowError e) {
      return ParseOutcome.rejected(RejectionReason.MALFORMED_JSON, "unparseable: " + e.getClass().getSimpleName());
    }
  }

  private ParseOutcome<MergeDecision> parseChecked(String completion, int itemCount) {
    Optional<String> answer = AnswerBlock.extract(completion);
    if (answer.isEmpty()) {
      return ParseOutcome.rejected(RejectionReason.MISSING_ANSWER, "expected exactly one <answer>…</answer> at the end");
    }
    String[] lines = answer.get().strip().split("\\R", -1);
    List<MergeDecision> decisions = new ArrayList<>();
    boolean[] decided = new boolean[itemCount];
    int i = 0;
    while (i < lines.length) {
      String header = lines[i].strip();
      Matcher m = HEADER.matcher(header);
      if (!m.matches()) {
        return ParseOutcome.rejected(RejectionReason.MALFORMED_JSON, "expected a '### i: DECISION' line, got "
            + ExtractorResponseParser.abbreviate(header));
      }
      StringBuilder body = new StringBuilder();
      i++;
      while (i < lines.length && !lines[i].strip().startsWith("###")) {
        body.append(lines[i]).append('\n');
        i++;
      }
      List<Integer> indices = new ArrayList<>();
      for (String part : m.group(1).split(",")) {
        int index = Integer.parseInt(part.strip());
        if (index >= itemCount) {
          return ParseOutcome.rejected(
              RejectionReason.INDEX_OUT_OF_RANGE, "item " + index + " outside the window of " + itemCount);
        }
        if (decided[index]) {
          return ParseOutcome.rejected(RejectionReason.INCONSISTENT, "item " + index + " is decided twice");
        }
        decided[index] = true;
        indices.add(index);
      }
      String decision = m.group(2);
      String text = body.toString().strip();
      boolean needsLesson = decision.equals("MERGE") || decision.equals("REWRITE");
      if (!needsLesson && !text.isEmpty()) {
        return ParseOutcome.rejected(RejectionReason.BAD_TEXT, decision + " takes no lesson text");
      }
      if (decision.equals("MERGE") ? indices.size() < 2 : indices.size() != 1) {
        return ParseOutcome.rejected(
            RejectionReason.INCONSISTENT, decision + " cannot cover " + indices.size() + " item(s)");
      }
      Optional<String[]> lesson = needsLesson ? LessonText.parse(text) : Optional.empty();
      if (needsLesson
          && (lesson.isEmpty() || lesson.get()[0].length() + lesson.get()[1].length() > maxLessonChars)) {
        return ParseOutcome.rejected(RejectionReason.BAD_TEXT, decision + " needs a valid, bounded lesson");
      }
      switch (decision) {
        case "RETURN" -> decisions.add(new MergeDecision.Keep(indices.get(0)));
        case "DISCARD" -> decisions.add(new MergeDecision.Discard(indices.get(0)));
        case "REWRITE" -> decisions.add(
            new MergeDecision.Rewrite(indices.get(0), lesson.get()[0], lesson.get()[1]));
        default -> decisions.add(new MergeDecision.Merge(indices, lesson.get()[0], lesson.get()[1]));
      }
    }
    for (int index = 0; index < itemCount; index++) {
      if (!decided[index]) {
        return ParseOutcome.rejected(RejectionReason.INCONSISTENT, "item " + index + " has no decision");
      }
    }
    return ParseOutcome.accepted(decisions);
  }
}
