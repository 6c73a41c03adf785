package dev.crl.experience;

import dev.crl.experience.extractor.PromptTemplate;
import java.util.List;
import java.util.Map;

/** Renders the extractor's prompts and the retrieval query text from the templates in resources. */
public final class ExtractorPrompts {

  private final PromptTemplate consolidation = PromptTemplate.load("consolidation.txt");
  private final PromptTemplate lessonItem = PromptTemplate.load("lesson-item.txt");
  private final PromptTemplate noLessons = PromptTemplate.load("no-lessons.txt");
  private final PromptTemplate merge = PromptTemplate.load("merge.txt");
  private final PromptTemplate retrievalQuery = PromptTemplate.load("retrieval-query.txt");

  public String consolidation(DistillationRequest request, List<ExperienceEntry> lessons) {
    return consolidation.render(Map.of(
        "goal", request.goal(),
        "outcome", request.success() ? "success" : "failure",
        "interaction", request.interaction(),
        "lessons", indexed(lessons)));
  }

  public String merge(List<ExperienceEntry> window) {
    return merge.render(Map.of("items", indexed(window)));
  }

  public String retrievalText(String goal, String observation) {
    return retrievalQuery.render(Map.of("goal", goal, "observation", observation)).strip();
  }

  private String indexed(List<ExperienceEntry> lessons) {
    if (lessons.isEmpty()) {
      return noLessons.render(Map.of()).strip();
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lessons.size(); i++) {
      if (i > 0) {
        out.append('\n');
      }
      out.append(lessonItem.render(Map.of("index", Integer.toString(i), "lesson", lessons.get(i).lessonText())).strip());
    }
    return out.toString();
  }
}
