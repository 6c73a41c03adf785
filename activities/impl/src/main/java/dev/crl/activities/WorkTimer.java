package dev.crl.activities;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

/**
 * Wall time and the calling thread's CPU time of one piece of an activity's work. When the CPU
 * time is well below the wall time, other threads had the core; when both grow together, the
 * work itself got more expensive. Activities record both as metrics so that a slow iteration can
 * be told apart from a busy machine.
 */
public final class WorkTimer {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long wallStart = System.nanoTime();
  private final long cpuStart = THREADS.getCurrentThreadCpuTime();

  /** Starts timing on the calling thread, which must also be the one that calls {@link #record}. */
  public static WorkTimer start() {
    return new WorkTimer();
  }

  public double wallSeconds() {
    return (System.nanoTime() - wallStart) / 1e9;
  }

  public double cpuSeconds() {
    return (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
  }

  /** Puts {@code <name>_seconds} and {@code <name>_cpu_seconds} into {@code stats}. */
  public void record(String name, Map<String, Double> stats) {
    stats.put(name + "_seconds", wallSeconds());
    stats.put(name + "_cpu_seconds", cpuSeconds());
  }
}
