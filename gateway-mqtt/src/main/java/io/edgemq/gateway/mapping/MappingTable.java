package io.edgemq.gateway.mapping;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.edgemq.gateway.topic.InvalidTopicException;
import io.edgemq.gateway.topic.SharedFilter;
import io.edgemq.gateway.topic.Topics;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps MQTT topics to broker routes with an ordered list of rules: the first rule whose filter
 * matches wins. A topic no rule matches takes the default mapping: its first level becomes the
 * broker topic (or {@code fallbackTopic} when that level is not a valid user topic name, e.g.
 * {@code $SYS}, empty, or with spaces), its second level the tag, and the client id the key.
 *
 * <p>Thread-safe and immutable apart from a bounded cache of which rule each MQTT topic takes;
 * devices publish to the same few topics over and over, so matching every rule each time is waste.
 * See docs/gateway-mqtt-mapping.md.
 */
public final class MappingTable {
  /** The broker topic for default-mapped MQTT topics whose first level is no valid name. */
  public static final String DEFAULT_FALLBACK_TOPIC = "mqtt";

  /** How many MQTT topics' rule choices are cached by default. */
  public static final long DEFAULT_CACHE_SIZE = 100_000;

  private static final int NO_RULE = -1;

  private final List<MappingRule> rules;
  private final List<MappingRule.Templates> templates;
  private final String fallbackTopic;
  private final Cache<String, Integer> ruleByTopic;

  /**
   * A table with the default fallback topic and cache size.
   *
   * @param rules the rules, first match wins
   */
  public MappingTable(List<MappingRule> rules) {
    this(rules, DEFAULT_FALLBACK_TOPIC, DEFAULT_CACHE_SIZE);
  }

  /**
   * @param rules the rules, first match wins
   * @param fallbackTopic the broker topic for default-mapped MQTT topics whose first level is no
   *     valid broker topic name
   * @param cacheMaximumSize how many MQTT topics' rule choices to cache (0 for none)
   * @throws IllegalArgumentException if the fallback topic is no valid user topic name or the size
   *     is negative
   */
  public MappingTable(List<MappingRule> rules, String fallbackTopic, long cacheMaximumSize) {
    this.rules = List.copyOf(rules);
    this.templates = this.rules.stream().map(MappingRule::templates).toList();
    this.fallbackTopic = BrokerNames.checkUserTopic(fallbackTopic, "fallback topic");
    if (cacheMaximumSize < 0) {
      throw new IllegalArgumentException("cacheMaximumSize=" + cacheMaximumSize + ": must be >= 0");
    }
    this.ruleByTopic = Caffeine.newBuilder().maximumSize(cacheMaximumSize).build();
  }

  /**
   * @return the rules in order (unmodifiable)
   */
  public List<MappingRule> rules() {
    return rules;
  }

  /**
   * @return the broker topic for MQTT topics whose first level is no valid name
   */
  public String fallbackTopic() {
    return fallbackTopic;
  }

  /**
   * Finds where a PUBLISH goes.
   *
   * @param mqttTopic a valid MQTT topic name
   * @param clientId the publishing client's id
   * @param username the publishing client's user name, or null
   * @return the route, following the broker's rules
   */
  public Route route(String mqttTopic, String clientId, String username) {
    int index = ruleIndex(mqttTopic);
    String[] levels = mqttTopic.split("/", -1);
    if (index == NO_RULE) {
      String first = levels[0];
      String topic = BrokerNames.isUserTopic(first) ? first : fallbackTopic;
      String tag = levels.length > 1 ? BrokerNames.sanitizeTag(levels[1]) : null;
      String key = BrokerNames.sanitizeKey(clientId);
      return new Route(topic, tag, key == null ? List.of() : List.of(key));
    }
    MappingRule.Templates t = templates.get(index);
    String tag =
        t.tag() == null
            ? null
            : BrokerNames.sanitizeTag(t.tag().expand(mqttTopic, levels, clientId, username));
    Set<String> keys = new LinkedHashSet<>();
    for (Template keyTemplate : t.keys()) {
      String key =
          BrokerNames.sanitizeKey(keyTemplate.expand(mqttTopic, levels, clientId, username));
      if (key != null) {
        keys.add(key);
      }
    }
    return new Route(rules.get(index).brokerTopic(), tag, List.copyOf(keys));
  }

  /**
   * The broker topics a gateway must read to serve a subscription. Rules are taken in order: each
   * one whose filter overlaps the subscription adds its broker topic, and one whose filter covers
   * the subscription ends the search, since no later rule and no default mapping can see those MQTT
   * topics. Otherwise the default mapping adds the subscription's first level if it is a literal
   * valid name, the fallback topic if it is a literal invalid one, and for a wildcard first level
   * the fallback topic plus {@link BrokerTopics#allDefaultTopics}.
   *
   * @param subscriptionFilter a topic filter; a {@code $share/{name}/} prefix is ignored
   * @return the broker topics
   * @throws InvalidTopicException if the filter breaks the rules
   */
  public BrokerTopics brokerTopicsFor(String subscriptionFilter) {
    String filter =
        SharedFilter.parse(subscriptionFilter).map(SharedFilter::filter).orElse(subscriptionFilter);
    Topics.validateFilter(filter);
    Set<String> topics = new HashSet<>();
    for (MappingRule rule : rules) {
      if (Topics.overlap(rule.filter(), filter)) {
        topics.add(rule.brokerTopic());
        if (Topics.covers(rule.filter(), filter)) {
          return new BrokerTopics(topics, false);
        }
      }
    }
    int slash = filter.indexOf('/');
    String first = slash < 0 ? filter : filter.substring(0, slash);
    boolean wildcard = first.equals("+") || first.equals("#");
    topics.add(!wildcard && BrokerNames.isUserTopic(first) ? first : fallbackTopic);
    return new BrokerTopics(topics, wildcard);
  }

  /**
   * The MQTT topic for a message read from the broker (e.g. a command from a backend).
   *
   * @param brokerTopic the broker topic it was read from
   * @param tag its tag, or null
   * @param mqttTopicProperty the MQTT topic it carries as a property, or null
   * @return the property if present; otherwise {@code brokerTopic/tag}, or {@code brokerTopic}
   *     without a tag; null if the result is no valid MQTT topic name (the caller drops the message
   *     and logs)
   */
  public String mqttTopicOf(String brokerTopic, String tag, String mqttTopicProperty) {
    String topic = mqttTopicProperty;
    if (topic == null) {
      topic = tag == null || tag.isEmpty() ? brokerTopic : brokerTopic + "/" + tag;
    }
    try {
      Topics.validateName(topic);
      return topic;
    } catch (InvalidTopicException e) {
      return null;
    }
  }

  private int ruleIndex(String mqttTopic) {
    if (rules.isEmpty()) {
      return NO_RULE;
    }
    return ruleByTopic.get(mqttTopic, this::firstMatchingRule);
  }

  private int firstMatchingRule(String mqttTopic) {
    for (int i = 0; i < rules.size(); i++) {
      if (Topics.matches(rules.get(i).filter(), mqttTopic)) {
        return i;
      }
    }
    return NO_RULE;
  }
}
