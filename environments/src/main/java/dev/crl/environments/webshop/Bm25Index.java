package dev.crl.environments.webshop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A small BM25 index over product titles, categories, types and attributes (WebShop uses BM25). */
final class Bm25Index {

  private static final double K1 = 1.2;
  private static final double B = 0.75;

  private final List<Product> products;
  private final Map<String, int[]> postings = new HashMap<>();
  private final Map<String, int[]> frequencies = new HashMap<>();
  private final int[] lengths;
  private final double avgLength;

  Bm25Index(List<Product> products) {
    this.products = products;
    this.lengths = new int[products.size()];
    Map<String, List<int[]>> build = new HashMap<>();
    long total = 0;
    for (int i = 0; i < products.size(); i++) {
      Product p = products.get(i);
      String doc = p.title() + " " + p.category() + " " + p.type() + " "
          + String.join(" ", p.attributes());
      List<String> tokens = tokens(doc);
      lengths[i] = tokens.size();
      total += tokens.size();
      Map<String, Integer> tf = new HashMap<>();
      for (String t : tokens) {
        tf.merge(t, 1, Integer::sum);
      }
      for (Map.Entry<String, Integer> e : tf.entrySet()) {
        build.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new int[] {i, e.getValue()});
      }
    }
    avgLength = (double) total / Math.max(1, products.size());
    for (Map.Entry<String, List<int[]>> e : build.entrySet()) {
      List<int[]> l = e.getValue();
      int[] docs = new int[l.size()];
      int[] freqs = new int[l.size()];
      for (int j = 0; j < l.size(); j++) {
        docs[j] = l.get(j)[0];
        freqs[j] = l.get(j)[1];
      }
      postings.put(e.getKey(), docs);
      frequencies.put(e.getKey(), freqs);
    }
  }

  static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    for (String t : s.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  List<String> search(String query, int limit) {
    double[] score = new double[products.size()];
    int n = products.size();
    for (String t : new LinkedHashSet<>(tokens(query))) {
      int[] docs = postings.get(t);
      if (docs == null) {
        continue;
      }
      int[] freqs = frequencies.get(t);
      double idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
      for (int j = 0; j < docs.length; j++) {
        int d = docs[j];
        double f = freqs[j];
        score[d] += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * lengths[d] / avgLength));
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Ties are broken by catalogue order so results are deterministic.
    Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : a - b);
    List<String> out = new ArrayList<>(limit);
    for (int i = 0; i < n && out.size() < limit; i++) {
      if (score[order[i]] > 0) {
        out.add(products.get(order[i]).asin());
      }
    }
    return out;
  }
}
