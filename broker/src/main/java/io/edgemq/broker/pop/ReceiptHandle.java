package io.edgemq.broker.pop;

import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.v1.Code;

/**
 * What a receipt handle names: one delivery of one message to one group. Its text form is
 *
 * <pre>
 * 1:{broker}:{group}:{topic}:{queueId}:{queueOffset}:{seq}:{invisibleUntilMs}:{attempt}
 *   1            format version
 *   broker       the broker group that issued it ([A-Za-z0-9_-])
 *   group        the consumer group ([A-Za-z0-9_|-])
 *   topic        the topic ([A-Za-z0-9_|%-])
 *   queueId      the queue of the topic
 *   queueOffset  the message's offset in that queue
 *   seq          the delivery's number, unique per broker; a newer delivery of the message (or a
 *                changed invisible time) gets a new one, which retires this handle
 *   invisibleUntilMs  when the delivery's invisible time ends (epoch ms), for the client's benefit
 *   attempt      the delivery's reconsume count (0 = first delivery)
 * </pre>
 *
 * <p>None of the names may contain ':', so the split is unambiguous.
 *
 * @param broker issuing broker group
 * @param group consumer group
 * @param topic topic
 * @param queueId queue id
 * @param offset queue offset
 * @param seq delivery number
 * @param invisibleUntilMs end of the invisible time
 * @param attempt reconsume count of the delivery
 */
public record ReceiptHandle(
    String broker,
    String group,
    String topic,
    int queueId,
    long offset,
    long seq,
    long invisibleUntilMs,
    int attempt) {

  private static final String VERSION = "1";
  private static final int FIELDS = 9;

  /**
   * @return the text form
   */
  public String encode() {
    return String.join(
        ":",
        VERSION,
        broker,
        group,
        topic,
        Integer.toString(queueId),
        Long.toString(offset),
        Long.toString(seq),
        Long.toString(invisibleUntilMs),
        Integer.toString(attempt));
  }

  /**
   * @param text a handle's text form
   * @return the handle
   * @throws Rejection INVALID_RECEIPT_HANDLE when it does not parse
   */
  public static ReceiptHandle parse(String text) {
    String[] p = text.split(":", -1);
    if (p.length != FIELDS || !p[0].equals(VERSION)) {
      throw invalid(text, "expected " + FIELDS + " ':'-separated fields of format 1");
    }
    try {
      ReceiptHandle h =
          new ReceiptHandle(
              p[1],
              p[2],
              p[3],
              Integer.parseInt(p[4]),
              Long.parseLong(p[5]),
              Long.parseLong(p[6]),
              Long.parseLong(p[7]),
              Integer.parseInt(p[8]));
      if (h.broker.isEmpty() || h.group.isEmpty() || h.topic.isEmpty()) {
        throw invalid(text, "empty broker, group or topic");
      }
      if (h.queueId < 0 || h.offset < 0 || h.seq < 0 || h.attempt < 0) {
        throw invalid(text, "negative number");
      }
      return h;
    } catch (NumberFormatException e) {
      throw invalid(text, "a number does not parse");
    }
  }

  private static Rejection invalid(String text, String why) {
    String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return new Rejection(
        Code.INVALID_RECEIPT_HANDLE, "receipt handle '" + shown + "' is invalid: " + why);
  }
}
