package dev.crl.environments.webshop;

import dev.crl.environments.ActionParser;
import dev.crl.environments.LocalEnvironment;
import dev.crl.environments.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code webshop}: WebShop's page protocol (search page, paginated results, item page with options,
 * description/features/reviews sub-pages, Buy Now) over the synthetic {@link Catalogue}, with
 * WebShop's {@code search[...]} and {@code click[...]} actions and its reward.
 */
public final class WebShopEnvironment extends LocalEnvironment {

  public static final String ID = "webshop";
  public static final int DEFAULT_MAX_STEPS = 15;
  public static final int RESULTS_PER_PAGE = 10;
  public static final String SEARCH_ACTION = "search[<query>]";
  static final String SEP = " [SEP] ";

  private static final Pattern SEARCH = Pattern.compile("(?is)^search\\s*\\[(.*)\\]$");
  private static final Pattern CLICK = Pattern.compile("(?is)^click\\s*\\[(.*)\\]$");

  private enum Page { SEARCH, RESULTS, ITEM, SUB_PAGE }

  private final Catalogue catalogue = Catalogue.get();
  private ShoppingGoal goal;
  private Page page;
  private List<String> results = List.of();
  private int resultPage;
  private Product item;
  private Map<String, String> chosen = new LinkedHashMap<>();
  private String subPage;
  private String lastQuery = "";

  public WebShopEnvironment(int maxSteps) {
    super(ID, maxSteps);
  }

  private WebShopEnvironment(WebShopEnvironment o) {
    super(o);
    goal = o.goal;
    page = o.page;
    results = o.results;
    resultPage = o.resultPage;
    item = o.item;
    chosen = new LinkedHashMap<>(o.chosen);
    subPage = o.subPage;
    lastQuery = o.lastQuery;
  }

  /** The hidden goal; for solvers and tests, never shown to the agent beyond the instruction. */
  public ShoppingGoal goal() {
    return goal;
  }

  @Override
  protected Observation start(long seed) {
    goal = ShoppingGoal.sample(catalogue, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5E5));
    page = Page.SEARCH;
    results = List.of();
    resultPage = 0;
    item = null;
    chosen = new LinkedHashMap<>();
    subPage = null;
    lastQuery = "";
    return observe("");
  }

  @Override
  public List<String> availableActions() {
    List<String> a = new ArrayList<>();
    switch (page) {
      case SEARCH:
        a.add(SEARCH_ACTION);
        break;
      case RESULTS:
        a.add("click[back to search]");
        if (resultPage > 0) {
          a.add("click[< prev]");
        }
        if ((resultPage + 1) * RESULTS_PER_PAGE < results.size()) {
          a.add("click[next >]");
        }
        for (String asin : pageAsins()) {
          a.add("click[" + asin.toLowerCase(Locale.ROOT) + "]");
        }
        break;
      case ITEM:
        a.add("click[back to search]");
        a.add("click[< prev]");
        for (List<String> values : item.options().values()) {
          for (String v : values) {
            a.add("click[" + v + "]");
          }
        }
        a.add("click[description]");
        a.add("click[features]");
        a.add("click[reviews]");
        a.add("click[buy now]");
        break;
      default:
        a.add("click[back to search]");
        a.add("click[< prev]");
        break;
    }
    return a;
  }

  private List<String> pageAsins() {
    int from = resultPage * RESULTS_PER_PAGE;
    return results.subList(Math.min(from, results.size()),
        Math.min(from + RESULTS_PER_PAGE, results.size()));
  }

  @Override
  protected ActionParser.Resolution resolveAction(String raw) {
    String text = ActionParser.extract(raw);
    if (text.length() > ActionParser.MAX_ACTION_CHARS) {
      return new ActionParser.Resolution(null, "The action is too long.");
    }
    Matcher s = SEARCH.matcher(text);
    if (s.matches()) {
      String q = ActionParser.normalize(s.group(1));
      if (page != Page.SEARCH) {
        return new ActionParser.Resolution(null,
            "There is no search bar on this page; click[back to search] first.");
      }
      if (q.isEmpty() || q.equalsIgnoreCase("<query>") || q.equalsIgnoreCase("<your query>")) {
        return new ActionParser.Resolution(null, "Write your query inside search[...].");
      }
      return new ActionParser.Resolution("search[" + q + "]", null);
    }
    List<String> available = availableActions();
    Matcher c = CLICK.matcher(text);
    String target = c.matches() ? "click[" + ActionParser.normalize(c.group(1)) + "]" : text;
    if (!c.matches() && !text.toLowerCase(Locale.ROOT).startsWith("search")) {
      // Bare button names such as "buy now" are accepted as clicks.
      String asClick = "click[" + text + "]";
      for (String a : available) {
        if (a.equalsIgnoreCase(asClick)) {
          return new ActionParser.Resolution(a, null);
        }
      }
    }
    ActionParser.Resolution r = ActionParser.resolve(target, available, Map.of());
    if (r.valid() && r.action().equals(SEARCH_ACTION)) {
      return new ActionParser.Resolution(null, "Write your query inside search[...].");
    }
    return r;
  }

  @Override
  protected Transition apply(String action) {
    if (action.startsWith("search[")) {
      lastQuery = action.substring(7, action.length() - 1);
      results = catalogue.search(lastQuery);
      resultPage = 0;
      page = Page.RESULTS;
      return Transition.of("");
    }
    String what = action.substring(6, action.length() - 1);
    switch (what.toLowerCase(Locale.ROOT)) {
      case "back to search":
        page = Page.SEARCH;
        item = null;
        chosen = new LinkedHashMap<>();
        return Transition.of("");
      case "next >":
        resultPage++;
        return Transition.of("");
      case "< prev":
        if (page == Page.RESULTS) {
          resultPage--;
        } else if (page == Page.ITEM) {
          page = Page.RESULTS;
          item = null;
          chosen = new LinkedHashMap<>();
        } else {
          page = Page.ITEM;
        }
        return Transition.of("");
      case "description":
      case "features":
      case "reviews":
        if (page == Page.ITEM) {
          page = Page.SUB_PAGE;
          subPage = what.toLowerCase(Locale.ROOT);
          return Transition.of("");
        }
        break;
      case "buy now":
        double reward = goal.reward(item, chosen);
        boolean success = reward >= 1.0 - 1e-9;
        String thanks = String.format(Locale.ROOT,
            "Thank you for shopping with us! Your score (min 0.0, max 1.0): %.2f", reward);
        return success ? Transition.success(thanks, reward) : Transition.failure(thanks, reward);
      default:
        break;
    }
    if (page == Page.RESULTS) {
      item = catalogue.byAsin(what);
      chosen = new LinkedHashMap<>();
      page = Page.ITEM;
      return Transition.of("");
    }
    for (Map.Entry<String, List<String>> e : item.options().entrySet()) {
      if (e.getValue().contains(what)) {
        chosen.put(e.getKey(), what);
        return Transition.of("You have clicked " + what + ".");
      }
    }
    return Transition.of("");
  }

  @Override
  protected Observation observe(String message) {
    StringBuilder sb = new StringBuilder(512);
    sb.append("WebShop").append(SEP).append("Instruction:").append(SEP).append(goal.instruction());
    switch (page) {
      case SEARCH:
        sb.append(SEP).append("Search");
        break;
      case RESULTS:
        sb.append(SEP).append("Back to Search").append(SEP).append("Page ").append(resultPage + 1)
            .append(" (Total results: ").append(results.size()).append(')');
        if (resultPage > 0) {
          sb.append(SEP).append("< Prev");
        }
        if ((resultPage + 1) * RESULTS_PER_PAGE < results.size()) {
          sb.append(SEP).append("Next >");
        }
        for (String asin : pageAsins()) {
          Product p = catalogue.byAsin(asin);
          sb.append(SEP).append(asin).append(SEP).append(p.title()).append(SEP)
              .append(String.format(Locale.ROOT, "$%.2f", p.price()));
        }
        break;
      case ITEM:
        sb.append(SEP).append("Back to Search").append(SEP).append("< Prev");
        for (Map.Entry<String, List<String>> e : item.options().entrySet()) {
          sb.append(SEP).append(e.getKey());
          for (String v : e.getValue()) {
            sb.append(SEP).append(v);
          }
        }
        sb.append(SEP).append(item.title())
            .append(SEP).append(String.format(Locale.ROOT, "Price: $%.2f", item.price()))
            .append(SEP).append("Rating: N.A.")
            .append(SEP).append("Description").append(SEP).append("Features").append(SEP)
            .append("Reviews").append(SEP).append("Buy Now");
        break;
      default:
        sb.append(SEP).append("Back to Search").append(SEP).append("< Prev").append(SEP);
        if (subPage.equals("description")) {
          sb.append(item.description());
        } else if (subPage.equals("features")) {
          sb.append(String.join(SEP, item.attributes()));
        } else {
          sb.append("No reviews yet.");
        }
        break;
    }
    if (!chosen.isEmpty() && page == Page.ITEM) {
      List<String> parts = new ArrayList<>();
      chosen.forEach((k, v) -> parts.add(k + ": " + v));
      sb.append("\nSelected options: ").append(String.join(", ", parts));
    }
    if (!message.isEmpty()) {
      sb.append("\nMessage: ").append(message);
    }
    return new Observation(goal.instruction(), sb.append('\n').toString(), availableActions());
  }

  @Override
  public WebShopEnvironment copy() {
    return new WebShopEnvironment(this);
  }

  @Override
  public String stateKey() {
    return page + "|" + lastQuery + "|" + resultPage + "|" + (item == null ? "" : item.asin())
        + "|" + chosen + "|" + subPage + "|" + results.size();
  }
}
