package dev.crl.activities.tracking;

import dev.crl.api.payload.EvalResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Learning curves as a self-contained SVG: training success of experience-free and guided
 * rollouts per iteration, and evaluation success with and without experience. No plotting
 * library: a few dozen lines of SVG are easier to keep than a dependency.
 */
final class CurvesSvg {
  private static final int W = 720;
  private static final int H = 400;
  private static final int LEFT = 60;
  private static final int RIGHT = 170;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;

  private CurvesSvg() {}

  static String render(String runId, TreeMap<Integer, Map<String, Double>> steps, TreeMap<Integer, EvalResult> evals) {
    int maxX = Math.max(1, Math.max(steps.isEmpty() ? 0 : steps.lastKey(), evals.isEmpty() ? 0 : evals.lastKey()));
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">%s: success rate per iteration</text>%n",
        LEFT, escape(runId)));
    axes(svg, maxX);
    series(svg, steps, maxX, m -> m.getOrDefault("success_free", Double.NaN), "#1f77b4", false, "train, no experience", 0);
    series(svg, steps, maxX, m -> m.getOrDefault("success_guided", Double.NaN), "#ff7f0e", false, "train, guided", 1);
    TreeMap<Integer, Map<String, Double>> evalPoints = new TreeMap<>();
    evals.forEach((i, e) -> evalPoints.put(i, Map.of("without", e.successWithout(), "with", e.successWith())));
    series(svg, evalPoints, maxX, m -> m.get("without"), "#2ca02c", true, "eval, no experience", 2);
    series(svg, evalPoints, maxX, m -> m.get("with"), "#d62728", true, "eval, with experience", 3);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void axes(StringBuilder svg, int maxX) {
    int x0 = LEFT;
    int y0 = H - BOTTOM;
    int x1 = W - RIGHT;
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, y0, x1, y0));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, TOP, x0, y0));
    for (int i = 0; i <= 4; i++) {
      double v = i / 4.0;
      double y = y(v);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", x0, y, x1, y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", x0 - 6, y + 4, v));
    }
    for (int i = 0; i <= 4; i++) {
      int it = Math.round(maxX * i / 4f);
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x(it, maxX), y0 + 18, it));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">iteration</text>%n", (x0 + x1) / 2, H - 12));
  }

  private static void series(StringBuilder svg, TreeMap<Integer, Map<String, Double>> points, int maxX,
      ToDoubleFunction<Map<String, Double>> value, String color, boolean markers, String label, int legendRow) {
    StringBuilder path = new StringBuilder();
    for (Map.Entry<Integer, Map<String, Double>> p : points.entrySet()) {
      double v = value.applyAsDouble(p.getValue());
      if (!Double.isFinite(v)) {
        continue;
      }
      double x = x(p.getKey(), maxX);
      double y = y(v);
      path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      if (markers) {
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, color));
      }
    }
    if (path.length() > 0) {
      svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
          path, color, markers ? " stroke-dasharray=\"5 3\"" : ""));
    }
    int ly = TOP + 10 + legendRow * 20;
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
        W - RIGHT + 15, ly, W - RIGHT + 35, ly, color));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", W - RIGHT + 40, ly + 4, label));
  }

  private static double x(int iteration, int maxX) {
    return LEFT + (W - LEFT - RIGHT) * (iteration / (double) maxX);
  }

  private static double y(double v) {
    return H - BOTTOM - (H - BOTTOM - TOP) * Math.max(0, Math.min(1, v));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

}
