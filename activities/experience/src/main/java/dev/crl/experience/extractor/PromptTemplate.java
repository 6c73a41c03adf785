package dev.crl.experience.extractor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template loaded from the classpath with {@code {{name}}} placeholders. Rendering is one
 * pass, so a value that itself contains braces (an episode may) is inserted verbatim. Missing and
 * unexpected values are errors: a silently empty slot would train the extractor on broken prompts.
 */
public final class PromptTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

  private final String name;
  private final String text;
  private final Set<String> placeholders;

  private PromptTemplate(String name, String text) {
    this.name = name;
    this.text = text;
    Set<String> found = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    this.placeholders = Set.copyOf(found);
  }

  /** Loads {@code dev/crl/experience/prompts/<name>} from the classpath. */
  public static PromptTemplate load(String name) {
    String path = "/dev/crl/experience/prompts/" + name;
    try (InputStream in = PromptTemplate.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("prompt template " + path + " is not on the classpath");
      }
      return new PromptTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read prompt template " + path, e);
    }
  }

  /** The placeholder names the template uses. */
  public Set<String> placeholders() {
    return placeholders;
  }

  /** Renders the template; {@code values} must name exactly the template's placeholders. */
  public String render(Map<String, String> values) {
    if (!values.keySet().equals(placeholders)) {
      throw new IllegalArgumentException(
          "template " + name + " needs " + placeholders + " but was given " + values.keySet());
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 256);
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }
}
