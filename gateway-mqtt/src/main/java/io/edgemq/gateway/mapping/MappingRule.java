package io.edgemq.gateway.mapping;

import io.edgemq.gateway.topic.InvalidTopicException;
import io.edgemq.gateway.topic.SharedFilter;
import io.edgemq.gateway.topic.Topics;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the mapping table: MQTT topics matching {@code filter} go to {@code brokerTopic}, with
 * a tag and keys expanded from templates. Example: {@code factory/+/+/telemetry/#} to topic {@code
 * telemetry}, tag {@code {3}}, keys {@code {2}}.
 *
 * <p>Templates are literal text with placeholders: {@code {n}} is the MQTT topic's n-th level
 * counted from 0, {@code {clientid}} and {@code {username}} describe the publisher, {@code {topic}}
 * is the whole MQTT topic. {@code keysTemplate} holds up to 64 keys separated by white space.
 *
 * @param filter an MQTT topic filter, not a {@code $share} one
 * @param brokerTopic the broker topic: 1-127 characters of {@code [A-Za-z0-9_|%-]}, not a system
 *     topic (starting with {@code %})
 * @param tagTemplate the tag; null or empty for none
 * @param keysTemplate the keys; null or empty for none
 */
public record MappingRule(
    String filter, String brokerTopic, String tagTemplate, String keysTemplate) {

  /**
   * @throws IllegalArgumentException naming the field and the rule it breaks ({@link
   *     InvalidTopicException} for the filter)
   */
  public MappingRule {
    tagTemplate = tagTemplate == null ? "" : tagTemplate;
    keysTemplate = keysTemplate == null ? "" : keysTemplate.strip();
    Topics.validateFilter(filter);
    if (SharedFilter.parse(filter).isPresent()) {
      throw new InvalidTopicException(
          "mapping rule filter '" + filter + "' must not be a $share filter");
    }
    BrokerNames.checkUserTopic(brokerTopic, "broker topic of rule '" + filter + "'");
    if (tagTemplate.contains("||")) {
      throw new IllegalArgumentException(
          "tag template '" + tagTemplate + "' of rule '" + filter + "' must not contain '||'");
    }
    parse(filter, tagTemplate, keysTemplate);
  }

  /** The parsed templates: the tag's (null for none) and one per key. */
  record Templates(Template tag, List<Template> keys) {}

  /** Parses the templates; the constructor has proven they parse. */
  Templates templates() {
    return parse(filter, tagTemplate, keysTemplate);
  }

  private static Templates parse(String filter, String tagTemplate, String keysTemplate) {
    String[] levels = filter.split("/", -1);
    boolean openEnded = levels[levels.length - 1].equals("#");
    String rule = "' of rule '" + filter + "'";
    Template tag =
        tagTemplate.isEmpty()
            ? null
            : Template.parse(
                tagTemplate, levels.length, openEnded, "tag template '" + tagTemplate + rule);
    List<Template> keys = new ArrayList<>();
    if (!keysTemplate.isEmpty()) {
      String what = "keys template '" + keysTemplate + rule;
      String[] words = keysTemplate.split("\\s+");
      if (words.length > BrokerNames.MAX_KEYS) {
        throw new IllegalArgumentException(
            what + ": " + words.length + " keys, at most " + BrokerNames.MAX_KEYS);
      }
      for (String word : words) {
        keys.add(Template.parse(word, levels.length, openEnded, what));
      }
    }
    return new Templates(tag, List.copyOf(keys));
  }
}
