package dev.crl.workflows;

import dev.crl.api.activity.ExperienceActivities;
import dev.crl.api.activity.RolloutActivities;
import dev.crl.api.activity.TaskQueues;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.activity.TrackingActivities;
import dev.crl.api.activity.TrainingActivities;
import dev.crl.api.spec.RunSpec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * The activity stubs of a workflow, one per timeout class, each pointed at its role's task queue.
 * Long activities (rollout, training, distillation, merge) have a short heartbeat timeout next to
 * a long start-to-close timeout, so a dead worker is noticed within a minute while a slow but
 * alive one may run for hours. Short activities have no heartbeat timeout because they do not
 * heartbeat. Call {@link #forSpec} from workflow code only.
 */
final class ActivityStubs {
  /**
   * Failure types that retrying cannot fix: invalid input, an invalid spec, a rejected argument,
   * a backend that is misconfigured (bad credentials, bad URL) or that refused the request, and
   * a stored object that fails its checksum. Temporal names an activity's failure type after
   * the thrown exception's class; these are names, so this module needs none of those classes.
   */
  static final List<String> NON_RETRYABLE_FAILURE_TYPES = List.of(
      "dev.crl.api.InvalidInputException",
      "dev.crl.api.spec.SpecException",
      "java.lang.IllegalArgumentException",
      "dev.crl.stores.BackendConfigurationException",
      "dev.crl.stores.InvalidBackendRequestException",
      "dev.crl.stores.CorruptObjectException");

  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);
  static final Duration LONG_START_TO_CLOSE = Duration.ofHours(4);
  static final Duration EXPERIENCE_LONG_START_TO_CLOSE = Duration.ofHours(1);
  static final Duration EXPERIENCE_SHORT_START_TO_CLOSE = Duration.ofMinutes(10);
  static final Duration TRACKING_START_TO_CLOSE = Duration.ofMinutes(2);
  static final Duration RETRY_INITIAL_INTERVAL = Duration.ofSeconds(1);
  static final Duration RETRY_MAXIMUM_INTERVAL = Duration.ofMinutes(1);
  static final double RETRY_BACKOFF = 2.0;
  static final int RETRY_MAXIMUM_ATTEMPTS = 20;

  final RolloutActivities rollout;
  final TrainingActivities training;
  final ExperienceActivities experienceLong;
  final ExperienceActivities experienceShort;
  final TrackingActivities tracking;

  private ActivityStubs(String prefix) {
    rollout = Workflow.newActivityStub(RolloutActivities.class,
        longRunning(TaskQueues.queue(prefix, Role.ROLLOUT), LONG_START_TO_CLOSE));
    training = Workflow.newActivityStub(TrainingActivities.class,
        longRunning(TaskQueues.queue(prefix, Role.TRAINING), LONG_START_TO_CLOSE));
    experienceLong = Workflow.newActivityStub(ExperienceActivities.class,
        longRunning(TaskQueues.queue(prefix, Role.EXPERIENCE), EXPERIENCE_LONG_START_TO_CLOSE));
    experienceShort = Workflow.newActivityStub(ExperienceActivities.class,
        shortRunning(TaskQueues.queue(prefix, Role.EXPERIENCE), EXPERIENCE_SHORT_START_TO_CLOSE));
    tracking = Workflow.newActivityStub(TrackingActivities.class,
        shortRunning(TaskQueues.queue(prefix, Role.WORKFLOW), TRACKING_START_TO_CLOSE));
  }

  /** Stubs on the task queues named by the spec's Temporal prefix. */
  static ActivityStubs forSpec(RunSpec spec) {
    return new ActivityStubs(spec.backends().temporal().taskQueuePrefix());
  }

  /** The retry policy shared by every activity: exponential backoff, invalid input fails fast. */
  static RetryOptions retryPolicy() {
    return RetryOptions.newBuilder()
        .setInitialInterval(RETRY_INITIAL_INTERVAL)
        .setBackoffCoefficient(RETRY_BACKOFF)
        .setMaximumInterval(RETRY_MAXIMUM_INTERVAL)
        .setMaximumAttempts(RETRY_MAXIMUM_ATTEMPTS)
        .setDoNotRetry(NON_RETRYABLE_FAILURE_TYPES.toArray(String[]::new))
        .build();
  }

  private static ActivityOptions longRunning(String queue, Duration startToClose) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setRetryOptions(retryPolicy())
        .build();
  }

  private static ActivityOptions shortRunning(String queue, Duration startToClose) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(startToClose)
        .setRetryOptions(retryPolicy())
        .build();
  }
}
