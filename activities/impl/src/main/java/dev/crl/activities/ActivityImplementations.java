package dev.crl.activities;

import dev.crl.activities.experience.ExperienceActivitiesImpl;
import dev.crl.activities.rollout.RolloutActivitiesImpl;
import dev.crl.activities.tracking.TrackingActivitiesImpl;
import dev.crl.activities.training.TrainingActivitiesImpl;
import dev.crl.api.activity.TaskQueues.Role;
import java.util.List;
import java.util.Map;

/**
 * The activity implementations each worker role registers. Tracking shares the workflow queue:
 * its calls are short and the workflow worker is always present.
 */
public final class ActivityImplementations {
  private ActivityImplementations() {}

  public static Map<Role, List<Object>> create(WorkerResources resources) {
    return Map.of(
        Role.WORKFLOW, List.of(new TrackingActivitiesImpl(resources)),
        Role.ROLLOUT, List.of(new RolloutActivitiesImpl(resources)),
        Role.EXPERIENCE, List.of(new ExperienceActivitiesImpl(resources)),
        Role.TRAINING, List.of(new TrainingActivitiesImpl(resources)));
  }
}
