package dev.crl.environments.webshop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic catalogue of 1,000 products in WebShop's five categories, with a BM25
 * search index. It is immutable and built once per JVM from a fixed seed, so every environment
 * instance shares it safely.
 */
public final class Catalogue {

  public static final int SIZE = 1000;
  public static final int MAX_RESULTS = 50;
  private static final long SEED = 0x5EB5_40DEL;

  private record Category(String name, String[] types, String[] attributes,
      Map<String, String[]> options, double basePrice) {}

  private static final Category[] CATEGORIES = {
    new Category("fashion",
        new String[] {"t-shirt", "hoodie", "dress", "jeans", "sneakers", "sandals", "jacket",
            "socks"},
        new String[] {"machine wash", "quick drying", "slim fit", "cotton", "long sleeve",
            "button closure", "elastic waist", "non slip"},
        options(new String[] {"size", "small", "medium", "large", "x-large", "xx-large"},
            new String[] {"color", "black", "white", "navy blue", "red", "grey", "green",
                "beige"}),
        30),
    new Category("beauty",
        new String[] {"shampoo", "face moisturizer", "lipstick", "nail polish", "body lotion",
            "hair oil", "eye shadow palette"},
        new String[] {"long lasting", "paraben free", "cruelty free", "natural ingredients",
            "sensitive skin", "travel size", "vegan"},
        options(new String[] {"size", "2 fl oz", "4 fl oz", "8 fl oz", "16 fl oz"},
            new String[] {"scent", "lavender", "vanilla", "unscented", "coconut", "rose"}),
        18),
    new Category("electronics",
        new String[] {"wireless earbuds", "phone case", "usb c cable", "bluetooth speaker",
            "hdmi cable", "power bank", "smart watch band"},
        new String[] {"fast charging", "water resistant", "noise cancelling", "high speed",
            "easy to carry", "long battery life", "wireless charging"},
        options(new String[] {"color", "black", "white", "blue", "pink", "silver"},
            new String[] {"pack", "1 pack", "2 pack", "3 pack"}),
        25),
    new Category("grocery",
        new String[] {"green tea", "dark chocolate bar", "protein bar", "trail mix",
            "coffee beans", "olive oil", "granola"},
        new String[] {"gluten free", "sugar free", "low calorie", "non gmo", "keto friendly",
            "high protein", "individually wrapped"},
        options(new String[] {"flavor", "original", "mint", "salted caramel", "honey", "berry"},
            new String[] {"size", "pack of 1", "pack of 3", "pack of 6", "pack of 12"}),
        12),
    new Category("furniture",
        new String[] {"bookshelf", "office chair", "coffee table", "bed frame", "floor lamp",
            "storage ottoman", "tv stand"},
        new String[] {"easy assembly", "solid wood", "storage space", "space saving",
            "metal frame", "living room", "height adjustable"},
        options(new String[] {"color", "walnut", "white", "black", "oak", "grey"},
            new String[] {"size", "small", "medium", "large"}),
        90),
  };

  private static final String[] BRANDS = {
    "Lunaro", "Veltrix", "Kestrel", "Orbiq", "Maplewood", "Nuvara", "Solwin", "Ardent", "Tidewell",
    "Brisa", "Corvane", "Halden", "Quillon", "Ravela", "Stonebrook", "Umbrel", "Wrenfield", "Zephra",
    "Alder & Co", "Bellmont", "Cindra", "Dunmore", "Elowen", "Fairhaven",
  };

  private static final Catalogue INSTANCE = new Catalogue();

  private final List<Product> products;
  private final Map<String, Product> byAsin;
  private final Map<String, Integer> attributeCounts;
  private final Bm25Index index;

  private static Map<String, String[]> options(String[]... groups) {
    Map<String, String[]> m = new LinkedHashMap<>();
    for (String[] g : groups) {
      m.put(g[0], Arrays.copyOfRange(g, 1, g.length));
    }
    return m;
  }

  private Catalogue() {
    SplittableRandom rng = new SplittableRandom(SEED);
    List<Product> list = new ArrayList<>(SIZE);
    Map<String, Product> asins = new HashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    while (list.size() < SIZE) {
      Category c = CATEGORIES[list.size() % CATEGORIES.length];
      String type = c.types()[rng.nextInt(c.types().length)];
      // Attributes follow a Zipf-like law so that "sampled by attribute frequency" means something.
      List<String> attrs = new ArrayList<>();
      int wanted = 2 + rng.nextInt(2);
      while (attrs.size() < wanted) {
        String a = c.attributes()[zipf(rng, c.attributes().length)];
        if (!attrs.contains(a)) {
          attrs.add(a);
        }
      }
      Map<String, List<String>> opts = new LinkedHashMap<>();
      for (Map.Entry<String, String[]> g : c.options().entrySet()) {
        List<String> values = new ArrayList<>(Arrays.asList(g.getValue()));
        Collections.shuffle(values, new java.util.Random(rng.nextLong()));
        int keep = 2 + rng.nextInt(values.size() - 1);
        List<String> kept = new ArrayList<>(values.subList(0, keep));
        kept.sort(java.util.Comparator.comparingInt(v -> Arrays.asList(g.getValue()).indexOf(v)));
        opts.put(g.getKey(), List.copyOf(kept));
      }
      String brand = BRANDS[rng.nextInt(BRANDS.length)];
      StringBuilder title = new StringBuilder(brand);
      for (String a : attrs) {
        title.append(' ').append(capitalise(a));
      }
      title.append(' ').append(capitalise(type));
      double price = Math.round(c.basePrice() * (0.5 + rng.nextDouble() * 1.5) * 100) / 100.0;
      String asin = asin(rng);
      if (asins.containsKey(asin)) {
        continue;
      }
      String description = "The " + brand + " " + type + " is " + String.join(", ", attrs)
          + ". Available " + describeOptions(opts) + ".";
      Product p = new Product(asin, c.name(), type, title.toString(), List.copyOf(attrs),
          Collections.unmodifiableMap(opts), price, description);
      list.add(p);
      asins.put(asin, p);
      for (String a : attrs) {
        counts.merge(a, 1, Integer::sum);
      }
    }
    products = List.copyOf(list);
    byAsin = Map.copyOf(asins);
    attributeCounts = Collections.unmodifiableMap(counts);
    index = new Bm25Index(products);
  }

  private static int zipf(SplittableRandom rng, int n) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += 1.0 / (i + 1);
    }
    double r = rng.nextDouble() * total;
    for (int i = 0; i < n; i++) {
      r -= 1.0 / (i + 1);
      if (r <= 0) {
        return i;
      }
    }
    return n - 1;
  }

  private static String asin(SplittableRandom rng) {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    StringBuilder sb = new StringBuilder("B0");
    for (int i = 0; i < 8; i++) {
      sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static String describeOptions(Map<String, List<String>> opts) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : opts.entrySet()) {
      parts.add("in " + e.getKey() + " " + String.join(", ", e.getValue()));
    }
    return String.join(" and ", parts);
  }

  private static String capitalise(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean up = true;
    for (char ch : s.toCharArray()) {
      sb.append(up ? Character.toUpperCase(ch) : ch);
      up = ch == ' ';
    }
    return sb.toString();
  }

  public static Catalogue get() {
    return INSTANCE;
  }

  public List<Product> products() {
    return products;
  }

  public Product byAsin(String asin) {
    return byAsin.get(asin.toUpperCase(Locale.ROOT));
  }

  /** How many products carry each attribute. */
  public Map<String, Integer> attributeCounts() {
    return attributeCounts;
  }

  /** The BM25 top {@link #MAX_RESULTS} ASINs for a free-text query, best first. */
  public List<String> search(String query) {
    return index.search(query, MAX_RESULTS);
  }
}
