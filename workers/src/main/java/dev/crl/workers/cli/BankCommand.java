package dev.crl.workers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.activities.WorkerResources;
import dev.crl.activities.experience.ExperienceActivitiesImpl;
import dev.crl.activities.experience.RunExperience;
import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.spec.RunSpec;
import dev.crl.experience.cli.BankCli;
import dev.crl.experience.embedding.Embedder;
import dev.crl.experience.snapshot.BankSnapshot;
import dev.crl.stores.ObjectNotFoundException;
import dev.crl.workers.UserError;
import dev.crl.workers.runtime.ProjectHome;
import dev.crl.workers.runtime.RunDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crl bank}: look inside a run's experience bank (its newest snapshot). */
@Command(name = "bank", mixinStandardHelpOptions = true,
    description = "Look inside a run's experience bank, as of its newest snapshot.",
    subcommands = {BankCommand.Search.class, BankCommand.Show.class})
public class BankCommand extends CommandGroup {

  @Command(name = "search", mixinStandardHelpOptions = true,
      description = "Rank the bank's entries against a query with the run's own embedder.")
  static class Search implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory.")
    Path run;

    @Option(names = "-k", defaultValue = "5", description = "Entries to show (default: ${DEFAULT-VALUE}).")
    int k;

    @Parameters(paramLabel = "QUERY", description = "Query text, e.g. a goal and an observation.")
    String query;

    @Override
    public Integer call() {
      RunBank bank = RunBank.open(run);
      try (Embedder embedder = RunExperience.embedder(bank.spec().models().embedder(), ProjectHome.find())) {
        return BankCli.search(bank.snapshot(), embedder, query, k, out(spec));
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one entry in full.")
  static class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Run directory.")
    Path run;

    @Parameters(index = "1", paramLabel = "ID", description = "Entry id (from 'crl bank search').")
    String id;

    @Override
    public Integer call() {
      return BankCli.show(RunBank.open(run).snapshot(), id, out(spec));
    }
  }

  private static PrintStream out(CommandSpec spec) {
    return new PrintStream(new PrintWriterStream(spec.commandLine().getOut()), true);
  }

  /** A run's spec and its newest bank snapshot, read through the run's own object store. */
  record RunBank(RunSpec spec, BankSnapshot snapshot) {
    static RunBank open(Path dir) {
      RunDirectory run = RunDirectory.open(dir);
      RunSpec spec = SpecLoading.loader().load(run.specFile());
      spec = dev.crl.api.spec.BackendOverrides.apply(spec, System.getenv());
      try (WorkerResources resources = WorkerResources.open(spec.backends(), run.objectStore(), run.metrics())) {
        byte[] pointer = resources.objectStore().get(ExperienceActivitiesImpl.latestBankKey(run.runId()));
        BankSnapshotRef ref = new ObjectMapper().readValue(pointer, BankSnapshotRef.class);
        byte[] data = resources.objectStore().get(ref.key());
        return new RunBank(spec, BankSnapshot.read(new ByteArrayInputStream(data)));
      } catch (ObjectNotFoundException e) {
        throw new UserError("run " + run.runId() + " has no bank snapshot yet (one is written every"
            + " budget.checkpoint_every iterations)");
      } catch (IOException e) {
        throw new UserError("the bank snapshot of run " + run.runId() + " is unreadable: " + e.getMessage(), e);
      }
    }
  }
}
