package dev.crl.experience.extractor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.crl.experience.LessonText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Strict, total parser for the extractor's consolidation response:
 *
 * <pre>
 * [&lt;think&gt;…&lt;/think&gt;] … &lt;answer&gt;[
 *   {"option": "add", "new_memory": "&lt;title&gt;…&lt;/title&gt;&lt;content&gt;…&lt;/content&gt;"},
 *   {"option": "update", "target_idx": [0, 2], "new_memory": "…"},
 *   {"option": "return"}
 * ]&lt;/answer&gt;
 * </pre>
 *
 * <p>Total means every input, however broken, yields a {@link ParseOutcome}; nothing is thrown.
 * Strict means any defect rejects the whole response: a partly applied answer would leave the
 * bank in a state the extractor never asked for, and its training sample would be mislabelled.
 */
public final class ExtractorResponseParser {

  /** The paper's limit on operations per response. */
  public static final int DEFAULT_MAX_OPERATIONS = 3;
  /** Lessons longer than this (title plus content, in characters) are rejected. */
  public static final int DEFAULT_MAX_LESSON_CHARS = 4000;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  private final int maxOperations;
  private final int maxLessonChars;

  /** A parser with the paper's limits. */
  public ExtractorResponseParser() {
    this(DEFAULT_MAX_OPERATIONS, DEFAULT_MAX_LESSON_CHARS);
  }

  /** A parser with explicit limits. */
  public ExtractorResponseParser(int maxOperations, int maxLessonChars) {
    if (maxOperations < 1 || maxLessonChars < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxOperations = maxOperations;
    this.maxLessonChars = maxLessonChars;
  }

  /**
   * Parses {@code completion} for a prompt that showed {@code lessonCount} previous lessons
   * (indices 0 … lessonCount-1).
   */
  public ParseOutcome<ExtractorOperation> parse(String completion, int lessonCount) {
    try {
      return parseChecked(completion, lessonCount);
    } catch (RuntimeException | StackOverflowError e) {
      // The checks below are meant to catch everything; this keeps the parser total even if one
      // is missed, and the reason says so.
      return ParseOutcome.rejected(RejectionReason.MALFORMED_JSON, "unparseable: " + e.getClass().getSimpleName());
    }
  }

  private ParseOutcome<ExtractorOperation> parseChecked(String completion, int lessonCount) {
    Optional<String> answer = AnswerBlock.extract(completion);
    if (answer.isEmpty()) {
      return ParseOutcome.rejected(RejectionReason.MISSING_ANSWER, "expected exactly one <answer>…</answer> at the end");
    }
    JsonNode root;
    try {
      root = JSON.readTree(answer.get());
    } catch (Exception e) {
      return ParseOutcome.rejected(RejectionReason.MALFORMED_JSON, "answer is not valid JSON");
    }
    if (root == null || !root.isArray()) {
      return ParseOutcome.rejected(RejectionReason.MALFORMED_JSON, "answer must be a JSON array");
    }
    if (root.size() < 1 || root.size() > maxOperations) {
      return ParseOutcome.rejected(
          RejectionReason.WRONG_OPERATION_COUNT, "expected 1.." + maxOperations + " operations, got " + root.size());
    }
    List<ExtractorOperation> operations = new ArrayList<>();
    Set<Integer> updatedTargets = new HashSet<>();
    for (JsonNode node : root) {
      if (!node.isObject()) {
        return ParseOutcome.rejected(RejectionReason.MALFORMED_JSON, "every operation must be a JSON object");
      }
      JsonNode option = node.get("option");
      if (option == null || !option.isTextual()) {
        return ParseOutcome.rejected(RejectionReason.BAD_FIELD, "operation without a string \"option\"");
      }
      switch (option.textValue()) {
        case "return" -> {
          if (!hasOnlyFields(node, Set.of("option"))) {
            return ParseOutcome.rejected(RejectionReason.BAD_FIELD, "return takes no other fields");
          }
          operations.add(new ExtractorOperation.Return());
        }
        case "add" -> {
          if (!hasOnlyFields(node, Set.of("option", "new_memory"))) {
            return ParseOutcome.rejected(RejectionReason.BAD_FIELD, "add takes exactly option and new_memory");
          }
          Optional<String[]> lesson = lesson(node.get("new_memory"));
          if (lesson.isEmpty()) {
            return ParseOutcome.rejected(RejectionReason.BAD_TEXT, badTextDetail());
          }
          operations.add(new ExtractorOperation.Add(lesson.get()[0], lesson.get()[1]));
        }
        case "update" -> {
          if (!hasOnlyFields(node, Set.of("option", "target_idx", "new_memory"))) {
            return ParseOutcome.rejected(
                RejectionReason.BAD_FIELD, "update takes exactly option, target_idx and new_memory");
          }
          JsonNode targets = node.get("target_idx");
          if (!targets.isArray() || targets.isEmpty()) {
            return ParseOutcome.rejected(RejectionReason.BAD_FIELD, "target_idx must be a non-empty array");
          }
          List<Integer> indices = new ArrayList<>();
          for (JsonNode t : targets) {
            if (!t.isIntegralNumber() || !t.canConvertToInt()) {
              return ParseOutcome.rejected(RejectionReason.BAD_FIELD, "target_idx holds a non-integer");
            }
            int index = t.intValue();
            if (index < 0 || index >= lessonCount) {
              return ParseOutcome.rejected(
                  RejectionReason.INDEX_OUT_OF_RANGE,
                  "target index " + index + " outside the " + lessonCount + " lessons shown");
            }
            if (!updatedTargets.add(index)) {
              return ParseOutcome.rejected(RejectionReason.INCONSISTENT, "lesson " + index + " is targeted twice");
            }
            indices.add(index);
          }
          Optional<String[]> lesson = lesson(node.get("new_memory"));
          if (lesson.isEmpty()) {
            return ParseOutcome.rejected(RejectionReason.BAD_TEXT, badTextDetail());
          }
          operations.add(new ExtractorOperation.Update(indices, lesson.get()[0], lesson.get()[1]));
        }
        default -> {
          return ParseOutcome.rejected(
              RejectionReason.UNKNOWN_OPERATION, "unknown option " + abbreviate(option.textValue()));
        }
      }
    }
    boolean hasReturn = operations.stream().anyMatch(op -> op instanceof ExtractorOperation.Return);
    if (hasReturn && operations.size() > 1) {
      return ParseOutcome.rejected(RejectionReason.INCONSISTENT, "return cannot be combined with other operations");
    }
    return ParseOutcome.accepted(operations);
  }

  private Optional<String[]> lesson(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return Optional.empty();
    }
    Optional<String[]> parsed = LessonText.parse(node.textValue());
    if (parsed.isEmpty() || parsed.get()[0].length() + parsed.get()[1].length() > maxLessonChars) {
      return Optional.empty();
    }
    return parsed;
  }

  private String badTextDetail() {
    return "new_memory must be <title>…</title><content>…</content>, non-empty, at most "
        + maxLessonChars + " characters";
  }

  private static boolean hasOnlyFields(JsonNode node, Set<String> allowed) {
    Set<String> seen = new HashSet<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        return false;
      }
      seen.add(name);
    }
    return seen.equals(allowed);
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "…'";
  }
}
