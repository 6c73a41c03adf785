package dev.crl.experience.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds out what the slowest batches of a benchmark run had in common. It records when every
 * timed batch ran and how much CPU the process's threads other than the writer spent meanwhile,
 * and when the writer was embedding new lessons or applying them to the bank. The report compares
 * the slowest 1% of batches with all of them: if slow batches overlap the writer's model calls far
 * more often than batches in general, those calls cause the tail; if their CPU time grew with their
 * wall time they ran slower, and if it did not they were waiting (descheduled, or blocked on a lock).
 *
 * <p>CPU per batch is only meaningful with one client, because then one batch runs at a time.
 */
final class TailAttribution {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final long[] batchStart;
  private final long[] batchEnd;
  private final long[] batchCpu;
  private int batches;
  private final List<long[]> embeds = new ArrayList<>();
  private final List<long[]> applies = new ArrayList<>();
  private long[] searchThreadIds = new long[0];

  TailAttribution(int capacity) {
    batchStart = new long[capacity];
    batchEnd = new long[capacity];
    batchCpu = new long[capacity];
  }

  /**
   * Chooses the threads whose CPU counts for a batch: all live threads but the writer and the
   * manager's background lesson-embedding thread, if it has one.
   */
  void watchAllThreadsExcept(Thread writer) {
    searchThreadIds = Arrays.stream(threads.getAllThreadIds())
        .filter(id -> id != writer.getId())
        .filter(id -> {
          java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
          return info != null && !info.getThreadName().equals("crl-lesson-embedding");
        })
        .toArray();
  }

  long searchCpuNanos() {
    long sum = 0;
    for (long id : searchThreadIds) {
      long t = threads.getThreadCpuTime(id);
      sum += Math.max(0, t);
    }
    return sum;
  }

  /** Called by the single client after each timed batch. */
  void batch(long start, long end, long cpuNanos) {
    if (batches < batchStart.length) {
      batchStart[batches] = start;
      batchEnd[batches] = end;
      batchCpu[batches] = cpuNanos;
      batches++;
    }
  }

  synchronized void embedded(long start, long end) {
    embeds.add(new long[] {start, end});
  }

  synchronized void applied(long start, long end) {
    applies.add(new long[] {start, end});
  }

  synchronized String report() {
    if (batches == 0) {
      return "  tail attribution: no batches";
    }
    Integer[] order = new Integer[batches];
    for (int i = 0; i < batches; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(batchEnd[a] - batchStart[a], batchEnd[b] - batchStart[b]));
    int slowFrom = (int) (batches * 0.99);
    StringBuilder out = new StringBuilder();
    out.append(String.format("  tail attribution over %d batches, %d lesson embeddings (mean %.1f ms), %d applies (mean %.2f ms):%n",
        batches, embeds.size(), meanMillis(embeds), applies.size(), meanMillis(applies)));
    out.append(line("all batches", order, 0, batches));
    out.append(line("median half", order, batches / 4, batches * 3 / 4));
    out.append(line("slowest 1%", order, slowFrom, batches));
    // The tail of the batches that overlapped nothing the writer did, for comparison.
    long[] quiet = new long[batches];
    int q = 0;
    for (int i = 0; i < batches; i++) {
      if (!overlaps(embeds, i) && !overlaps(applies, i)) {
        quiet[q++] = batchEnd[i] - batchStart[i];
      }
    }
    Arrays.sort(quiet, 0, q);
    if (q > 0) {
      out.append(String.format("    batches overlapping no write: %d, p50 %.2f ms, p99 %.2f ms%n",
          q, quiet[q / 2] / 1e6, quiet[Math.min(q - 1, (int) (q * 0.99))] / 1e6));
    }
    return out.toString();
  }

  private String line(String label, Integer[] order, int from, int to) {
    int n = to - from;
    int embedding = 0;
    int applying = 0;
    double wall = 0;
    double cpu = 0;
    for (int k = from; k < to; k++) {
      int i = order[k];
      embedding += overlaps(embeds, i) ? 1 : 0;
      applying += overlaps(applies, i) ? 1 : 0;
      wall += (batchEnd[i] - batchStart[i]) / 1e6;
      cpu += batchCpu[i] / 1e6;
    }
    return String.format("    %-12s n=%6d  mean wall %.2f ms, mean CPU %.2f ms; overlapping a lesson embedding %.1f%%, an apply %.1f%%%n",
        label, n, wall / n, cpu / n, 100.0 * embedding / n, 100.0 * applying / n);
  }

  private boolean overlaps(List<long[]> intervals, int batch) {
    for (long[] iv : intervals) {
      if (iv[0] < batchEnd[batch] && iv[1] > batchStart[batch]) {
        return true;
      }
    }
    return false;
  }

  private static double meanMillis(List<long[]> intervals) {
    return intervals.stream().mapToLong(iv -> iv[1] - iv[0]).average().orElse(0) / 1e6;
  }
}
