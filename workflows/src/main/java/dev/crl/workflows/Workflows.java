package dev.crl.workflows;

import java.util.List;

/** The workflow implementations a worker on the workflow queue registers. */
public final class Workflows {
  private Workflows() {}

  /** Every workflow implementation class of this module. */
  public static List<Class<?>> all() {
    return List.of(
        TrainingRunWorkflowImpl.class, EvaluationWorkflowImpl.class, CurriculumWorkflowImpl.class);
  }
}
