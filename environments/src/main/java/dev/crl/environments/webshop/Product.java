package dev.crl.environments.webshop;

import java.util.List;
import java.util.Map;

/**
 * One catalogue item.
 *
 * @param asin the item id shown on result pages (WebShop uses Amazon ASINs)
 * @param category one of the five WebShop categories
 * @param type the product type, e.g. "hoodie"; WebShop's type reward compares it
 * @param title the listing title
 * @param attributes the item's attributes, e.g. "machine wash"
 * @param options option name to the values the item offers, e.g. size to [small, large]
 * @param price the price in dollars
 * @param description the description page text
 */
public record Product(
    String asin,
    String category,
    String type,
    String title,
    List<String> attributes,
    Map<String, List<String>> options,
    double price,
    String description) {}
