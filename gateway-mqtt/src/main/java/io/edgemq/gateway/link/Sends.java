package io.edgemq.gateway.link;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.SendResult;
import io.edgemq.gateway.mapping.Route;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a device message into a broker message, and the producer's outcome into the link's. */
final class Sends {
  private Sends() {}

  /**
   * @param route where the message goes
   * @param envelope the MQTT message
   * @param key the FIFO sharding key, or null
   * @return the broker message
   * @throws LinkException (refused) when the message breaks one of the client's limits
   */
  static Message message(Route route, MqttEnvelope envelope, String key) {
    Message.Builder b =
        Message.builder()
            .topic(route.brokerTopic())
            .tag(route.tag())
            .keys(route.keys())
            .messageGroup(messageGroup(key))
            .body(envelope.payload());
    MqttProperties.encode(envelope).forEach(b::property);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new LinkException("the broker would refuse the message: " + e.getMessage(), true, e);
    }
  }

  /**
   * A message group the broker takes (at most {@link Message#MAX_TAG_BYTES}): a longer key is
   * replaced by its hash, which still keeps one device on one queue.
   *
   * @param key the sharding key, or null
   * @return the message group, or null for none
   */
  static String messageGroup(String key) {
    if (key == null || key.isEmpty()) {
      return null;
    }
    return key.getBytes(StandardCharsets.UTF_8).length <= Message.MAX_TAG_BYTES
        ? key
        : "h-" + GroupNames.sha256(key);
  }

  /**
   * @param r the producer's result
   * @return the message id, when the broker confirmed the message durable under its flush and
   *     replication mode
   * @throws LinkException (not refused) when the message was written but not confirmed: it may be
   *     lost in a crash, so the device must not be acknowledged
   */
  static String messageId(SendResult r) {
    if (!r.isDurable()) {
      throw new LinkException(
          "message "
              + r.messageId()
              + " was written to "
              + r.queue()
              + " but the broker answered "
              + r.code()
              + ": its durability is unknown",
          false,
          null);
    }
    return r.messageId();
  }

  /**
   * @param t why a send failed (possibly wrapped by a future)
   * @return the link's exception for it
   */
  static LinkException failure(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof LinkException le) {
      return le;
    }
    if (c instanceof ClientException ce) {
      return new LinkException(
          (refused(ce) ? "the broker refused the message: " : "the broker did not store it: ")
              + ce.getMessage(),
          refused(ce),
          ce);
    }
    return new LinkException("the link failed: " + c, false, c);
  }

  /**
   * @param t a failure, possibly wrapped by a future
   * @return the cause that is not a wrapper
   */
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * Whether the same message would get the same answer again: invalid (ILLEGAL_*, BAD_REQUEST,
   * MESSAGE_TOO_LARGE), not permitted (NO_WRITE_PERMISSION) or TOPIC_NOT_FOUND. Not: no answer, the
   * UNAVAILABLE class (busy, disk full, not leader), conflicts, INTERNAL, QUEUE_NOT_FOUND (a stale
   * route) and unknown codes.
   *
   * @param e a client failure
   * @return whether the broker refused the message itself
   */
  static boolean refused(ClientException e) {
    if (e.isTransport()) {
      return false;
    }
    int code = e.codeValue();
    return switch (Codes.kind(code)) {
      case INVALID_REQUEST, NOT_PERMITTED -> true;
      case NOT_FOUND -> code == Code.TOPIC_NOT_FOUND_VALUE;
      default -> false;
    };
  }
}
