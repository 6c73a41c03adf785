package dev.crl.workflows;

import dev.crl.api.activity.TaskQueues;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.RunState;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.BudgetSpec;
import dev.crl.api.spec.CurriculumSpec.StageSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.workflows.CurriculumSummary.StageOutcome;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Stage by stage: every attempt restarts from the previous stage's checkpoints and bank (with
 * its own seed, so a retry is a new draw rather than a replay of the failed attempt). After the
 * last allowed attempt the curriculum moves on from the best attempt, promoted or not.
 */
public class CurriculumWorkflowImpl implements CurriculumWorkflow {
  /** Seeds of different stages and attempts stay apart by this stride. */
  static final long STAGE_SEED_STRIDE = 1_000;

  @Override
  public CurriculumSummary run(String runId, RunSpec spec) {
    if (spec == null || !spec.hasCurriculum()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a curriculum run needs a spec with curriculum.stages", "InvalidRunSpec");
    }
    CheckpointRef actor = null;
    CheckpointRef extractor = null;
    BankSnapshotRef bank = null;
    List<StageOutcome> outcomes = new ArrayList<>();
    List<StageSpec> stages = spec.curriculum().stages();
    for (int index = 0; index < stages.size(); index++) {
      StageSpec stage = stages.get(index);
      RunSummary best = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      boolean promoted = false;
      int attempt = 0;
      while (!promoted && attempt < stage.maxAttempts()) {
        attempt++;
        RunSpec stageSpec = stageSpec(spec, stage, index, attempt);
        String stageRunId = WorkflowIds.stageRunId(runId, index, stage.name(), attempt);
        RunState start = new RunState(stageRunId, stageSpec, 0, actor, extractor, bank, 0,
            List.of(), 0, List.of(), false);
        RunSummary summary = childRun(stageRunId, stageSpec).run(start);
        double score = promotionScore(summary, stageSpec);
        if (best == null || score > bestScore) {
          best = summary;
          bestScore = score;
        }
        promoted = stage.promoteAt() <= 0 || score >= stage.promoteAt();
      }
      outcomes.add(new StageOutcome(stage.name(), index, attempt, promoted, bestScore, best.runId()));
      actor = best.actor();
      extractor = best.extractor();
      bank = best.bank();
    }
    return new CurriculumSummary(runId, outcomes, actor, extractor, bank);
  }

  /**
   * The score a stage is promoted on: the last evaluation's success with experience, or without
   * it when the run uses none. A run without an evaluation scores negative infinity.
   */
  static double promotionScore(RunSummary summary, RunSpec spec) {
    if (summary.evalHistory().isEmpty()) {
      return Double.NEGATIVE_INFINITY;
    }
    EvalResult last = summary.evalHistory().get(summary.evalHistory().size() - 1);
    double score = spec.algorithm().usesExperience() ? last.successWith() : last.successWithout();
    return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
  }

  /** The spec of one stage attempt: the stage's tasks and iterations, a seed of its own. */
  static RunSpec stageSpec(RunSpec spec, StageSpec stage, int index, int attempt) {
    BudgetSpec budget = spec.budget();
    BudgetSpec stageBudget = new BudgetSpec(stage.iterations(), budget.tasksPerIteration(),
        budget.maxTurns(), budget.maxNewTokens(), budget.checkpointEvery(), budget.evalEvery(),
        budget.wallClockMinutes());
    long seed = spec.seed() + STAGE_SEED_STRIDE * (index + 1) + (attempt - 1);
    return new RunSpec(spec.name() + "/" + stage.name(), seed, stage.tasks(), spec.models(),
        spec.algorithm(), stageBudget, spec.backends(), null);
  }

  private static TrainingRunWorkflow childRun(String stageRunId, RunSpec stageSpec) {
    ChildWorkflowOptions options = ChildWorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.run(stageRunId))
        .setTaskQueue(TaskQueues.queue(stageSpec.backends().temporal().taskQueuePrefix(), Role.WORKFLOW))
        .build();
    return Workflow.newChildWorkflowStub(TrainingRunWorkflow.class, options);
  }
}
