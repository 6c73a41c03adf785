package dev.crl.experience.embedding;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Optional;

/**
 * Moves the calling thread into Linux's {@code SCHED_IDLE} scheduling class. A thread there runs
 * only when no normal thread wants its core, and any normal thread that wakes up on that core
 * preempts it at once; with a lower nice value alone a woken thread may still wait out the running
 * thread's time slice. Any thread may lower its own class this way without privileges, also in a
 * container. JNA, which DJL already brings, makes the system call.
 */
final class IdleThreadScheduling {

  /** The policy number from Linux's {@code sched.h}. */
  private static final int SCHED_IDLE = 5;

  private interface LibC extends Library {
    int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;
  }

  private IdleThreadScheduling() {}

  /**
   * Moves the calling thread (not the whole process) to {@code SCHED_IDLE}.
   *
   * @return empty when the thread was moved, otherwise why it keeps its normal priority
   */
  static Optional<String> moveCurrentThread() {
    if (!Platform.isLinux()) {
      return Optional.of("the SCHED_IDLE scheduling class exists only on Linux, not on " + System.getProperty("os.name"));
    }
    try {
      LibC libc = Native.load("c", LibC.class);
      // On Linux, pid 0 names the calling thread; SCHED_IDLE requires a static priority of 0.
      libc.sched_setscheduler(0, SCHED_IDLE, new int[] {0});
      return Optional.empty();
    } catch (LastErrorException e) {
      return Optional.of("sched_setscheduler(SCHED_IDLE) failed with errno " + e.getErrorCode());
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Optional.of("cannot call sched_setscheduler through JNA: " + e);
    }
  }
}
