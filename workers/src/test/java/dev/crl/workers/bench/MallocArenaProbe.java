package dev.crl.workers.bench;

import dev.crl.activities.rollout.RolloutActivitiesImpl;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.spec.RunSpec;
import dev.crl.workflows.TaskPlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the same rollout shard on the main thread, on a new thread and on a pool thread, in turn,
 * and prints each call's wall time and the calling thread's minor page faults and CPU ticks (from
 * {@code /proc/thread-self/stat}). It found why activities on Temporal's executor threads ran
 * about 10% slower than the same calls on the main thread: glibc gives threads other than the main
 * one arenas of their own (up to 8 per core, then shared), and those arenas gave libtorch's freed
 * tensor memory back to the kernel and faulted it in again (tens of thousands of faults per
 * shard). Run it with glibc's default limit (16 arenas on two cores) and with one shared arena
 * (which removes the faults but made the main job slower; see docs/benchmarks.md, "Orchestration
 * overhead"):
 *
 * <pre>
 * MALLOC_ARENA_MAX=16 CRL_BENCH_MAIN=dev.crl.workers.bench.MallocArenaProbe tools/workers/bench-orchestration.sh 6
 * MALLOC_ARENA_MAX=1 CRL_BENCH_MAIN=dev.crl.workers.bench.MallocArenaProbe tools/workers/bench-orchestration.sh 6
 * </pre>
 */
public final class MallocArenaProbe {
  private MallocArenaProbe() {}

  /** minflt, utime, stime (ticks) of the calling thread. */
  static long[] threadStat() {
    try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/thread-self/stat"))) {
      String line = r.readLine();
      String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(f[7]), Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("probe-");
    RunSpec spec = OrchestrationBenchmark.spec("bench", 3, "complementary");
    try (OrchestrationBenchmark.InProcessLoop loop = new OrchestrationBenchmark.InProcessLoop(dir, spec)) {
      for (int it = 0; it < 3; it++) {
        loop.iteration(it);
      }
      RolloutActivitiesImpl rollouts = new RolloutActivitiesImpl(loop.resources);
      IterationPlan recorded = TaskPlanner.training("bench", 2, spec);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      String[] modes = {"main", "fresh", "pool"};
      double[] sum = new double[3];
      int n = Integer.parseInt(args.length > 0 ? args[0] : "8");
      for (int rep = 0; rep < 3 * n; rep++) {
        int m = rep % 3;
        String runId = "probe-" + rep;
        loop.resources.storeSpec(runId, spec);
        IterationPlan plan = new IterationPlan(runId, 2, recorded.tasks(), recorded.groupSize(), 0);
        RolloutRequest request = new RolloutRequest(plan, 0, 2, loop.actorRef(), null, false);
        loop.resources.run(runId).inference().preload(loop.actorRef());
        long t = System.nanoTime();
        long[][] stat = new long[2][];
        Runnable call = () -> {
          stat[0] = threadStat();
          rollouts.rollout(request);
          stat[1] = threadStat();
        };
        if (m == 0) {
          call.run();
        } else if (m == 1) {
          Thread th = new Thread(call);
          th.start();
          th.join();
        } else {
          pool.submit(call).get();
        }
        double s = (System.nanoTime() - t) / 1e9;
        sum[m] += s;
        System.out.printf("%s %.3f minflt %d utime %d stime %d%n", modes[m], s, stat[1][0] - stat[0][0],
            stat[1][1] - stat[0][1], stat[1][2] - stat[0][2]);
      }
      for (int m = 0; m < 3; m++) {
        System.out.printf("mean %s %.3f%n", modes[m], sum[m] / n);
      }
      pool.shutdownNow();
    }
  }
}
