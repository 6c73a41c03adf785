package dev.crl.environments.webshop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A WebShop instruction: a target product type, wanted attributes and option values, and a price
 * bound, plus the instruction sentence shown to the agent.
 */
public record ShoppingGoal(
    String asin,
    String category,
    String type,
    List<String> attributes,
    Map<String, String> options,
    double priceUpperBound,
    String instruction) {

  private static final String[] OPENINGS = {
    "i am looking for", "i need", "i want to buy", "find me", "i'm looking for",
  };

  /**
   * Samples a goal: a product uniformly, then one or two of its attributes weighted by how often
   * each attribute occurs in the catalogue, one value per option, and a price bound above its price.
   */
  public static ShoppingGoal sample(Catalogue catalogue, SplittableRandom rng) {
    List<Product> all = catalogue.products();
    Product p = all.get(rng.nextInt(all.size()));
    List<String> pool = new ArrayList<>(p.attributes());
    int wanted = 1 + rng.nextInt(Math.min(2, pool.size()));
    List<String> attrs = new ArrayList<>();
    while (attrs.size() < wanted) {
      double total = 0;
      for (String a : pool) {
        total += catalogue.attributeCounts().get(a);
      }
      double r = rng.nextDouble() * total;
      String chosen = pool.get(pool.size() - 1);
      for (String a : pool) {
        r -= catalogue.attributeCounts().get(a);
        if (r <= 0) {
          chosen = a;
          break;
        }
      }
      pool.remove(chosen);
      attrs.add(chosen);
    }
    attrs.sort(java.util.Comparator.comparingInt(p.attributes()::indexOf));
    Map<String, String> opts = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : p.options().entrySet()) {
      opts.put(e.getKey(), e.getValue().get(rng.nextInt(e.getValue().size())));
    }
    double bound = Math.ceil((p.price() * (1.1 + rng.nextDouble() * 0.6)) / 10.0) * 10.0;
    StringBuilder sb = new StringBuilder(OPENINGS[rng.nextInt(OPENINGS.length)]);
    sb.append(' ').append(String.join(" and ", attrs)).append(' ').append(p.type());
    List<String> optionPhrases = new ArrayList<>();
    for (Map.Entry<String, String> e : opts.entrySet()) {
      optionPhrases.add(e.getKey() + ": " + e.getValue());
    }
    sb.append(" with ").append(String.join(" and ", optionPhrases));
    sb.append(String.format(Locale.ROOT, ", and price lower than %.2f dollars", bound));
    return new ShoppingGoal(p.asin(), p.category(), p.type(), List.copyOf(attrs),
        java.util.Collections.unmodifiableMap(opts), bound, sb.toString());
  }

  /**
   * WebShop's reward: the type factor times the fraction of attributes, options and the price bound
   * that the purchase satisfies. The type factor is 1 for the same product type, 0.5 for the same
   * category and 0.1 otherwise.
   */
  public double reward(Product bought, Map<String, String> chosenOptions) {
    double typeFactor = bought.type().equals(type) ? 1.0
        : bought.category().equals(category) ? 0.5 : 0.1;
    int matched = 0;
    for (String a : attributes) {
      if (bought.attributes().contains(a)) {
        matched++;
      }
    }
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getValue().equals(chosenOptions.get(e.getKey()))) {
        matched++;
      }
    }
    if (bought.price() <= priceUpperBound) {
      matched++;
    }
    return typeFactor * matched / (attributes.size() + options.size() + 1);
  }
}
