package dev.crl.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.Optional;

/** Heartbeats of the running activity, if there is one (library code also runs outside Temporal). */
public final class Heartbeats {
  private Heartbeats() {}

  /** The current activity's context, or empty when called outside an activity. */
  public static Optional<ActivityExecutionContext> context() {
    try {
      return Optional.of(Activity.getExecutionContext());
    } catch (RuntimeException notInAnActivity) {
      return Optional.empty();
    }
  }

  /** Records progress; Temporal throttles the calls, so this is cheap to call often. */
  public static void beat(Object details) {
    context().ifPresent(c -> c.heartbeat(details));
  }
}
