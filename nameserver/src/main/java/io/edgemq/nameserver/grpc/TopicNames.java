package io.edgemq.nameserver.grpc;

/** The topic name rule of the contract: 1-127 characters of {@code [A-Za-z0-9_|%-]}. */
final class TopicNames {
  static final int MAX_LENGTH = 127;

  private TopicNames() {}

  /**
   * Checks a topic name.
   *
   * @return why the name is illegal, or null if it is legal
   */
  static String problem(String topic) {
    if (topic.isEmpty()) {
      return "topic is empty";
    }
    if (topic.length() > MAX_LENGTH) {
      return "topic is longer than " + MAX_LENGTH + " characters: " + topic.length();
    }
    for (int i = 0; i < topic.length(); i++) {
      if (!legal(topic.charAt(i))) {
        return "topic '" + topic + "' has a character outside [A-Za-z0-9_|%-] at index " + i;
      }
    }
    return null;
  }

  static boolean isSystem(String topic) {
    return topic.startsWith("%");
  }

  private static boolean legal(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '|'
        || c == '%'
        || c == '-';
  }
}
