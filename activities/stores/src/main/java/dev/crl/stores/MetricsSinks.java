package dev.crl.stores;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Chooses the {@link MetricsSink}: MLflow when configured, local files otherwise. */
public final class MetricsSinks {

  private MetricsSinks() {}

  /** {@link MlflowMetricsSink} when {@code mlflow} is present, else {@link LocalMetricsSink} in {@code localRoot}. */
  public static MetricsSink create(Optional<MlflowConfig> mlflow, Path localRoot) {
    return mlflow.<MetricsSink>map(MlflowMetricsSink::new).orElseGet(() -> new LocalMetricsSink(localRoot));
  }

  /** Like {@link #create} with the MLflow settings taken from {@code MLFLOW_TRACKING_URI} and friends. */
  public static MetricsSink fromEnvironment(Map<String, String> env, Path localRoot) {
    return create(MlflowConfig.fromEnvironment(env), localRoot);
  }
}
