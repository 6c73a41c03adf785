package dev.crl.activities.tracking;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.RunSummary;
import dev.crl.stores.ObjectKeys;
import dev.crl.stores.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a run's final report from what the tracking activities stored: one metrics object per
 * iteration and one per evaluation. The report is machine-readable ({@code report.json}, with the
 * evaluation history under {@code "eval"}) and has learning curves as SVG.
 */
public final class ReportBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore store;
  private final String runId;

  public ReportBuilder(ObjectStore store, String runId) {
    this.store = store;
    this.runId = runId;
  }

  /** The report as JSON-ready data and its curves. */
  public record Report(Map<String, Object> json, String curvesSvg) {}

  static String metricsKey(String runId, int step) {
    return ObjectKeys.run(runId).prefix() + "metrics/step-" + String.format("%06d", step) + ".json";
  }

  static String evalKey(String runId, int iteration) {
    return ObjectKeys.run(runId).evaluationReport(iteration, "summary");
  }

  public Report build(RunSummary summary) {
    ObjectKeys.RunKeys keys = ObjectKeys.run(runId);
    TreeMap<Integer, Map<String, Double>> steps = new TreeMap<>();
    for (String key : store.list(keys.prefix() + "metrics/step-")) {
      int step = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1, key.length() - ".json".length()));
      steps.put(step, read(key, new TypeReference<Map<String, Double>>() {}));
    }
    TreeMap<Integer, EvalResult> evals = new TreeMap<>();
    for (String key : store.list(keys.prefix() + "eval/iter-")) {
      if (key.endsWith("/summary.json")) {
        EvalResult e = read(key, new TypeReference<EvalResult>() {});
        evals.put(e.iteration(), e);
      }
    }
    // The workflow's own history is authoritative where the stored copies are missing.
    for (EvalResult e : summary.evalHistory()) {
      evals.putIfAbsent(e.iteration(), e);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run_id", runId);
    json.put("status", summary.status());
    json.put("iterations", summary.iterations());
    json.put("actor_checkpoint", summary.actor() == null ? null : summary.actor().key());
    json.put("extractor_checkpoint", summary.extractor() == null ? null : summary.extractor().key());
    json.put("bank_snapshot", summary.bank() == null ? null : summary.bank().key());
    List<Map<String, Object>> evalRows = new ArrayList<>();
    for (EvalResult e : evals.values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("iteration", e.iteration());
      row.put("success", headline(e));
      row.put("success_without_experience", finiteOrNull(e.successWithout()));
      row.put("success_with_experience", finiteOrNull(e.successWith()));
      Map<String, Object> perTask = new TreeMap<>();
      e.perTask().forEach((k, v) -> perTask.put(k, finiteOrNull(v)));
      row.put("per_task", perTask);
      evalRows.add(row);
    }
    json.put("eval", evalRows);
    if (evalRows.size() >= 2) {
      double first = headline(evals.firstEntry().getValue());
      double last = headline(evals.lastEntry().getValue());
      json.put("eval_success_change", last - first);
    }
    List<Map<String, Object>> metricRows = new ArrayList<>();
    steps.forEach((step, m) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("iteration", step);
      row.putAll(m);
      metricRows.add(row);
    });
    json.put("metrics", metricRows);
    return new Report(json, CurvesSvg.render(runId, steps, evals));
  }

  /**
   * The evaluation's headline number: success with experience when the run evaluated with it
   * (the method's column in the paper's table), otherwise without.
   */
  static double headline(EvalResult e) {
    return Double.isFinite(e.successWith()) ? e.successWith() : e.successWithout();
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private <T> T read(String key, TypeReference<T> type) {
    try {
      return JSON.readValue(store.get(key), type);
    } catch (IOException e) {
      throw new IllegalStateException("stored tracking object " + key + " is corrupt: " + e.getMessage(), e);
    }
  }
}
