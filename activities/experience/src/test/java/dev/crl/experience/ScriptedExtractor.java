package dev.crl.experience;

import dev.crl.experience.extractor.ExtractorModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A test double for the extractor LLM: answers each prompt with a scripted function of the prompt.
 * It stands in for the model only; the manager, parser, store and embedder under test are real.
 */
public final class ScriptedExtractor implements ExtractorModel {

  private volatile Function<String, String> script;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<String> prompts = new ArrayList<>();

  public ScriptedExtractor(Function<String, String> script) {
    this.script = script;
  }

  /** Replaces the script. */
  public void answer(Function<String, String> newScript) {
    this.script = newScript;
  }

  @Override
  public List<String> complete(List<String> batch) {
    calls.incrementAndGet();
    List<String> out = new ArrayList<>(batch.size());
    synchronized (prompts) {
      prompts.addAll(batch);
    }
    for (String p : batch) {
      out.add(script.apply(p));
    }
    return out;
  }

  @Override
  public String checkpoint() {
    return "scripted-extractor";
  }

  public int calls() {
    return calls.get();
  }

  public List<String> prompts() {
    synchronized (prompts) {
      return List.copyOf(prompts);
    }
  }

  /** An answer that adds one lesson. */
  public static String add(String title, String content) {
    return "<answer>[{\"option\": \"add\", \"new_memory\": \"<title>" + title + "</title><content>" + content
        + "</content>\"}]</answer>";
  }

  /** An answer that rewrites the lessons at {@code indices} into one. */
  public static String update(String title, String content, int... indices) {
    StringBuilder idx = new StringBuilder();
    for (int i = 0; i < indices.length; i++) {
      idx.append(i == 0 ? "" : ", ").append(indices[i]);
    }
    return "<answer>[{\"option\": \"update\", \"target_idx\": [" + idx + "], \"new_memory\": \"<title>" + title
        + "</title><content>" + content + "</content>\"}]</answer>";
  }

  /** An answer that changes nothing. */
  public static String noChange() {
    return "<think>nothing new</think><answer>[{\"option\": \"return\"}]</answer>";
  }
}
