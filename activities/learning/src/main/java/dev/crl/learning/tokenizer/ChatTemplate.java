package dev.crl.learning.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's own Jinja {@code chat_template}, rendered with Jinjava, so prompts are formatted
 * exactly the way the model was fine-tuned rather than by a hand-written approximation.
 */
public final class ChatTemplate {
  /** One chat message. */
  public record Message(String role, String content) {}

  private final String template;
  private final String bosToken;
  private final String eosToken;
  private final Jinjava jinjava;

  public ChatTemplate(String template, String bosToken, String eosToken) {
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("chat template is empty");
    }
    this.template = template;
    this.bosToken = bosToken == null ? "" : bosToken;
    this.eosToken = eosToken == null ? "" : eosToken;
    // Hugging Face templates rely on whitespace control exactly as written; trimming blocks would
    // change the rendered prompt, so Jinjava's defaults for blocks are kept.
    this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(false).build());
  }

  public String source() {
    return template;
  }

  /** Renders the conversation; with {@code addGenerationPrompt} the assistant header is appended. */
  public String render(List<Message> messages, boolean addGenerationPrompt) {
    List<Map<String, Object>> msgs = new ArrayList<>();
    for (Message m : messages) {
      Map<String, Object> e = new HashMap<>();
      e.put("role", m.role());
      e.put("content", m.content());
      msgs.add(e);
    }
    Map<String, Object> context = new HashMap<>();
    context.put("messages", msgs);
    context.put("add_generation_prompt", addGenerationPrompt);
    context.put("bos_token", bosToken);
    context.put("eos_token", eosToken);
    RenderResult result = jinjava.renderForResult(template, context);
    List<TemplateError> fatal =
        result.getErrors().stream().filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    if (!fatal.isEmpty()) {
      throw new IllegalArgumentException("chat template failed to render: " + fatal.get(0).getMessage());
    }
    return result.getOutput();
  }
}
