package io.edgemq.broker.common;

import io.edgemq.protocol.v1.Code;
import java.util.regex.Pattern;

/** The protocol's rules for topic and group names. */
public final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_|%-]{1,127}");
  private static final int MAX_CONSUMER_GROUP = 120;

  private Names() {}

  /**
   * @param topic a topic name
   * @return the name
   * @throws Rejection ILLEGAL_TOPIC when it breaks the rules
   */
  public static String checkTopic(String topic) {
    if (topic == null || !NAME.matcher(topic).matches()) {
      throw new Rejection(
          Code.ILLEGAL_TOPIC,
          "illegal topic '" + topic + "': 1-127 characters of [A-Za-z0-9_|%-] required");
    }
    return topic;
  }

  /**
   * @param topic a topic name that is not a system name
   * @return the name
   * @throws Rejection ILLEGAL_TOPIC when illegal or a system name
   */
  public static String checkUserTopic(String topic) {
    checkTopic(topic);
    if (isSystem(topic)) {
      throw new Rejection(
          Code.ILLEGAL_TOPIC, "illegal topic '" + topic + "': names starting with '%' are system");
    }
    return topic;
  }

  /**
   * @param group a consumer group name
   * @return the name
   * @throws Rejection ILLEGAL_GROUP when it breaks the rules
   */
  public static String checkConsumerGroup(String group) {
    if (group == null
        || group.length() > MAX_CONSUMER_GROUP
        || !NAME.matcher(group).matches()
        || isSystem(group)) {
      throw new Rejection(
          Code.ILLEGAL_GROUP,
          "illegal consumer group '"
              + group
              + "': 1-120 characters of [A-Za-z0-9_|-], not starting with '%'");
    }
    return group;
  }

  /**
   * @param group a producer group name
   * @return the name
   * @throws Rejection ILLEGAL_GROUP when it breaks the rules
   */
  public static String checkProducerGroup(String group) {
    if (group == null || !NAME.matcher(group).matches()) {
      throw new Rejection(
          Code.ILLEGAL_GROUP,
          "illegal producer group '" + group + "': 1-127 characters of [A-Za-z0-9_|%-]");
    }
    return group;
  }

  /**
   * @param name a topic or group name
   * @return whether it is a system name (starts with '%')
   */
  public static boolean isSystem(String name) {
    return name.startsWith("%");
  }
}
