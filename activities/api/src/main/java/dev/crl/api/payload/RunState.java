package dev.crl.api.payload;

import dev.crl.api.spec.RunSpec;
import java.util.List;

/**
 * Everything a training run needs to go on: the one record a run carries across
 * continue-as-new, and the record {@code crl runs resume} rebuilds from the object store.
 * It holds references and summaries only, never weights, trajectories or bank contents.
 *
 * @param runId run identifier (also the prefix of every object-store key of the run)
 * @param spec the resolved run specification
 * @param nextIteration the next iteration to run
 * @param actor latest actor checkpoint, or null before initialisation
 * @param extractor latest extractor checkpoint, or null before initialisation
 * @param bank latest bank snapshot, or null when the bank has never been saved
 * @param extractorStep extractor updates done so far
 * @param pendingSampleKeys extractor samples waiting for the next extractor update
 * @param pendingSamples number of samples behind {@code pendingSampleKeys}
 * @param evalHistory evaluations so far
 * @param paused whether the run is paused
 * @param elapsedMillis workflow time spent by earlier executions of the run (before a
 *     continue-as-new), so the wall-clock budget spans the whole run
 */
public record RunState(
    String runId,
    RunSpec spec,
    int nextIteration,
    CheckpointRef actor,
    CheckpointRef extractor,
    BankSnapshotRef bank,
    long extractorStep,
    List<String> pendingSampleKeys,
    int pendingSamples,
    List<EvalResult> evalHistory,
    boolean paused,
    long elapsedMillis) {

  public RunState {
    pendingSampleKeys = pendingSampleKeys == null ? List.of() : List.copyOf(pendingSampleKeys);
    evalHistory = evalHistory == null ? List.of() : List.copyOf(evalHistory);
  }

  /** A state whose earlier executions took no time (the constructor before elapsedMillis existed). */
  public RunState(
      String runId,
      RunSpec spec,
      int nextIteration,
      CheckpointRef actor,
      CheckpointRef extractor,
      BankSnapshotRef bank,
      long extractorStep,
      List<String> pendingSampleKeys,
      int pendingSamples,
      List<EvalResult> evalHistory,
      boolean paused) {
    this(runId, spec, nextIteration, actor, extractor, bank, extractorStep, pendingSampleKeys,
        pendingSamples, evalHistory, paused, 0L);
  }

  /** The state of a run that has not started yet. */
  public static RunState fresh(String runId, RunSpec spec) {
    return new RunState(runId, spec, 0, null, null, null, 0, List.of(), 0, List.of(), false);
  }
}
