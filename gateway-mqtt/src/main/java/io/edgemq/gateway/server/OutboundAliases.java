package io.edgemq.gateway.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Topic aliases the gateway assigns towards one MQTT 5 client (at most the Topic Alias Maximum the
 * client sent in CONNECT, and {@value #MAX} here): the first PUBLISH of a topic carries the topic
 * and a new alias, later ones the alias and an empty topic. When every alias is taken, the one used
 * least recently is given to the new topic (its PUBLISH carries the topic again). Aliases belong to
 * the connection: a new connection starts with none. Event loop only.
 */
final class OutboundAliases {
  /** Most aliases one connection gets, whatever the client allows. */
  static final int MAX = 64;

  private final int max;
  private final LinkedHashMap<String, Integer> byTopic = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * @param clientMaximum the Topic Alias Maximum from CONNECT (0 = none)
   */
  OutboundAliases(int clientMaximum) {
    this.max = Math.min(clientMaximum, MAX);
  }

  /**
   * What to send for a topic.
   *
   * @param alias the alias to send, 0 for none
   * @param withTopic whether the topic name goes in the PUBLISH too (false: empty topic name)
   */
  record Use(int alias, boolean withTopic) {}

  private static final Use NONE = new Use(0, true);

  /**
   * @param topic the topic of a PUBLISH about to be written
   * @return the alias to use
   */
  Use use(String topic) {
    if (max == 0) {
      return NONE;
    }
    Integer known = byTopic.get(topic);
    if (known != null) {
      return new Use(known, false);
    }
    int alias;
    if (byTopic.size() < max) {
      alias = byTopic.size() + 1;
    } else {
      Map.Entry<String, Integer> eldest = byTopic.entrySet().iterator().next();
      alias = eldest.getValue();
      byTopic.remove(eldest.getKey());
    }
    byTopic.put(topic, alias);
    return new Use(alias, true);
  }
}
