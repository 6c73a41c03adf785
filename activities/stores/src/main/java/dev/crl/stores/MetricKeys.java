package dev.crl.stores;

import java.util.Map;
import java.util.regex.Pattern;

/** Validation shared by the sinks, so local runs accept exactly what MLflow accepts. */
final class MetricKeys {

  /** MLflow's limit on metric, parameter and tag key length. */
  static final int MAX_KEY_LENGTH = 250;

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-. /]{1,250}");
  private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,127}");

  private MetricKeys() {}

  static String validateKey(String kind, String key) {
    if (key == null || !KEY.matcher(key).matches() || key.startsWith("/") || key.contains("..")) {
      throw new IllegalArgumentException(
          kind
              + " key must be 1-"
              + MAX_KEY_LENGTH
              + " characters of letters, digits, '_', '-', '.', ' ' or '/' (not starting with '/',"
              + " no '..'): '"
              + key
              + "'");
    }
    return key;
  }

  static void validateMetrics(Map<String, Double> metrics) {
    for (Map.Entry<String, Double> metric : metrics.entrySet()) {
      validateKey("metric", metric.getKey());
      if (metric.getValue() == null) {
        throw new IllegalArgumentException("metric '" + metric.getKey() + "' has no value");
      }
    }
  }

  static String validateRunName(String runName) {
    if (runName == null || !RUN_NAME.matcher(runName).matches()) {
      throw new IllegalArgumentException(
          "run name must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit: '"
              + runName
              + "'");
    }
    return runName;
  }

  static void validateStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
  }
}
