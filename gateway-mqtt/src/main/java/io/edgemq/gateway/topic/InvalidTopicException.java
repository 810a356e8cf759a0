package io.edgemq.gateway.topic;

/** A topic name or topic filter that breaks the MQTT rules; the message says which rule. */
public final class InvalidTopicException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which rule the topic breaks, quoting the topic
   */
  public InvalidTopicException(String message) {
    super(message);
  }
}
