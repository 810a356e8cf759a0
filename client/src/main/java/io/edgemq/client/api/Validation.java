package io.edgemq.client.api;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** The builders' shared checks. */
final class Validation {
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_|-]{1,120}");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_|%-]{1,127}");

  private Validation() {}

  static void common(ClientConfig config, String group, int batch, Duration longPoll) {
    if (config == null) {
      throw new IllegalArgumentException("clientConfig is required");
    }
    if (group == null || !GROUP.matcher(group).matches()) {
      throw new IllegalArgumentException(
          "consumerGroup=" + group + ": 1-120 characters of [A-Za-z0-9_|-]");
    }
    if (batch < 1 || batch > 1024) {
      throw new IllegalArgumentException("pullBatchSize=" + batch + ": must be within 1-1024");
    }
    ClientConfig.positive(longPoll, "longPollTimeout");
  }

  static void subscriptions(Map<String, String> subscriptions) {
    subscriptions.forEach(
        (topic, expr) -> {
          topic(topic);
          String e = expr.trim();
          if (!e.isEmpty() && !e.equals("*")) {
            for (String tag : e.split("\\|\\|", -1)) {
              if (tag.isBlank() || tag.trim().equals("*")) {
                throw new IllegalArgumentException(
                    "tag expression " + expr + " of " + topic + ": expected * or a || b");
              }
            }
          }
        });
  }

  static void topic(String topic) {
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException(
          "topic=" + topic + ": 1-127 characters of [A-Za-z0-9_|%-]");
    }
  }

  static void positive(int v, String name) {
    if (v < 1) {
      throw new IllegalArgumentException(name + "=" + v + ": must be >= 1");
    }
  }
}
