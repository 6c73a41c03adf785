package dev.crl.experience;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The paper's lesson format, {@code <title>…</title><content>…</content>}, in both directions. */
public final class LessonText {

  private static final Pattern LESSON =
      Pattern.compile("\\s*<title>(.*?)</title>\\s*<content>(.*?)</content>\\s*", Pattern.DOTALL);

  private LessonText() {}

  /** Renders a lesson for prompts and embeddings. */
  public static String render(String title, String content) {
    return "<title>" + title + "</title><content>" + content + "</content>";
  }

  /**
   * Splits an extractor-written lesson into title and content. Returns empty when the text is not
   * exactly one title followed by one content block, or when either part is blank.
   */
  public static Optional<String[]> parse(String text) {
    Matcher m = LESSON.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    String title = m.group(1).strip();
    String content = m.group(2).strip();
    if (title.isEmpty() || content.isEmpty() || title.contains("<title>") || content.contains("<content>")) {
      return Optional.empty();
    }
    return Optional.of(new String[] {title, content});
  }
}
