package dev.crl.workflows;

import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.payload.CheckpointRef;
import java.util.List;

/**
 * How a curriculum ended.
 *
 * @param runId the curriculum's run id
 * @param stages one outcome per stage, in order
 * @param actor the actor the last stage ended with
 * @param extractor the extractor the last stage ended with
 * @param bank the bank snapshot the last stage ended with
 */
public record CurriculumSummary(String runId, List<StageOutcome> stages, CheckpointRef actor,
    CheckpointRef extractor, BankSnapshotRef bank) {
  public CurriculumSummary {
    stages = List.copyOf(stages);
  }

  /**
   * One stage of a curriculum.
   *
   * @param stage stage name
   * @param index stage position, from 0
   * @param attempts attempts made (child training runs)
   * @param promoted whether an attempt reached the promotion threshold
   * @param success the promotion score of the attempt the curriculum went on from
   * @param runId run id of the attempt the curriculum went on from
   */
  public record StageOutcome(
      String stage, int index, int attempts, boolean promoted, double success, String runId) {}
}
