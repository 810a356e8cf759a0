package io.edgemq.broker.pull;

import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.FilterType;
import io.edgemq.store.api.MessageFilter;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed tag expression: {@code *} (or empty) for every message, or {@code a || b || c} for
 * messages whose tag is one of these (exact, case-sensitive; spaces around tags ignored).
 *
 * @param tags the tags, sorted; empty for {@code *}
 * @param filter the store filter
 */
public record TagFilter(Set<String> tags, MessageFilter filter) {

  /** Matches every message. */
  public static final TagFilter ALL = new TagFilter(Set.of(), MessageFilter.ALL);

  /**
   * @param expr the request's filter; null or absent means {@code *}
   * @return the filter
   * @throws Rejection ILLEGAL_TAG_EXPRESSION when the type is not a tag type or the expression does
   *     not parse
   */
  public static TagFilter parse(FilterExpression expr) {
    if (expr == null) {
      return ALL;
    }
    if (expr.getType() != FilterType.FILTER_TYPE_UNSPECIFIED
        && expr.getType() != FilterType.FILTER_TYPE_TAG) {
      throw new Rejection(
          Code.ILLEGAL_TAG_EXPRESSION,
          "unknown filter type " + expr.getTypeValue() + ": only tag expressions are supported");
    }
    return parse(expr.getExpression());
  }

  /**
   * @param expression {@code *}, empty, or {@code a || b}
   * @return the filter
   * @throws Rejection ILLEGAL_TAG_EXPRESSION when it does not parse
   */
  public static TagFilter parse(String expression) {
    String e = expression.trim();
    if (e.isEmpty() || e.equals("*")) {
      return ALL;
    }
    Set<String> tags = new TreeSet<>();
    for (String part : e.split("\\|\\|", -1)) {
      String tag = part.trim();
      if (tag.isEmpty() || tag.equals("*")) {
        throw new Rejection(
            Code.ILLEGAL_TAG_EXPRESSION,
            "tag expression '"
                + expression
                + "' does not parse: use '*' or 'tagA || tagB' with non-empty tags");
      }
      tags.add(tag);
    }
    Set<String> copy = Set.copyOf(tags);
    return new TagFilter(Collections.unmodifiableSet(tags), MessageFilter.anyTag(copy));
  }

  /**
   * @return the canonical form: {@code *} or the sorted tags joined by {@code " || "}; two filters
   *     are the same subscription when these are equal
   */
  public String canonical() {
    return tags.isEmpty() ? "*" : String.join(" || ", tags);
  }
}
