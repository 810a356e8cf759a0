package io.edgemq.broker.send;

import com.google.protobuf.ByteString;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.common.SystemTopics;
import io.edgemq.broker.retry.DeliveryFailures;
import io.edgemq.broker.trace.Traces;
import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.SystemProperties;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageId;
import io.edgemq.store.api.StoredMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps protocol messages onto store messages and back.
 *
 * <p>User properties are stored under their own names. Broker-level fields without a place in the
 * store record (the message group) are stored as properties whose names start with {@value
 * #RESERVED_PREFIX}; user properties with that prefix are refused with ILLEGAL_MESSAGE.
 */
public final class MessageMapper {
  /** Property names starting with this are the broker's. */
  public static final String RESERVED_PREFIX = "%sys.";

  static final String MESSAGE_GROUP = RESERVED_PREFIX + "message_group";

  /** A request's or reply's correlation id (request-reply). */
  public static final String CORRELATION_ID = RESERVED_PREFIX + "correlation_id";

  /** A request's requesting client id (request-reply). */
  public static final String REPLY_TO = RESERVED_PREFIX + "reply_to";

  private static final int MAX_CORRELATION = 128;

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private MessageMapper() {}

  /**
   * @param m the message as sent
   * @param queueId the chosen queue
   * @param nowMillis the broker's time, used when the producer gave no born time
   * @param peer the connection's peer, used when the producer gave no usable born host
   * @return the store message
   * @throws Rejection ILLEGAL_MESSAGE for a bad tag, id or reserved property name
   */
  public static Message toStore(
      io.edgemq.protocol.v1.Message m, int queueId, long nowMillis, InetSocketAddress peer) {
    String tag = m.getTag();
    if (tag.equals("*") || tag.contains("||")) {
      throw new Rejection(
          Code.ILLEGAL_MESSAGE, "tag '" + tag + "' must not be '*' or contain '||'");
    }
    Map<String, String> props = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : m.getUserPropertiesMap().entrySet()) {
      if (e.getKey().startsWith(RESERVED_PREFIX)) {
        throw new Rejection(
            Code.ILLEGAL_MESSAGE,
            "user property '" + e.getKey() + "' uses the reserved prefix " + RESERVED_PREFIX);
      }
      props.put(e.getKey(), e.getValue());
    }
    if (!m.getMessageGroup().isEmpty()) {
      props.put(MESSAGE_GROUP, m.getMessageGroup());
    }
    if (!m.getTraceContext().isEmpty()) {
      if (m.getTraceContext().length() > Traces.MAX_CONTEXT) {
        throw new Rejection(Code.ILLEGAL_MESSAGE, "trace_context is over 128 characters");
      }
      props.put(Traces.CONTEXT_PROPERTY, m.getTraceContext());
    }
    if (m.getCorrelationId().length() > MAX_CORRELATION || m.getReplyToClientId().length() > 256) {
      throw new Rejection(
          Code.ILLEGAL_MESSAGE,
          "correlation_id is at most "
              + MAX_CORRELATION
              + " and reply_to_client_id 256 characters");
    }
    if (!m.getCorrelationId().isEmpty()) {
      props.put(CORRELATION_ID, m.getCorrelationId());
    }
    if (!m.getReplyToClientId().isEmpty()) {
      props.put(REPLY_TO, m.getReplyToClientId());
    }
    Message.Builder b =
        Message.builder()
            .topic(m.getTopic())
            .queueId(queueId)
            .tags(tag)
            .keys(m.getKeysList())
            .properties(props)
            .body(m.getBody().toByteArray())
            .bornTimestamp(m.getBornTimestampMs() == 0 ? nowMillis : m.getBornTimestampMs())
            .bornHost(bornHost(m, peer));
    if (!m.getMessageId().isEmpty()) {
      try {
        b.messageId(MessageId.parse(m.getMessageId()));
      } catch (IllegalArgumentException e) {
        throw new Rejection(
            Code.ILLEGAL_MESSAGE, "message_id '" + m.getMessageId() + "' is not 32 hex digits");
      }
    }
    return b.build();
  }

  private static InetSocketAddress bornHost(
      io.edgemq.protocol.v1.Message m, InetSocketAddress peer) {
    if (!m.hasBornHost()) {
      return peer;
    }
    InetSocketAddress a = literal(m.getBornHost());
    return a != null ? a : peer;
  }

  /**
   * @param a an address
   * @return it as a socket address if its host is an IP literal (no name lookups), else null
   */
  static InetSocketAddress literal(Address a) {
    String host = a.getHost();
    if (a.getPort() < 0 || a.getPort() > 65535) {
      return null;
    }
    if (!IPV4.matcher(host).matches() && !host.contains(":")) {
      return null;
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), a.getPort());
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * @param s a stored message
   * @param brokerName this broker group's name
   * @return the protocol message with system properties set
   */
  public static io.edgemq.protocol.v1.Message toProto(StoredMessage s, String brokerName) {
    io.edgemq.protocol.v1.Message.Builder b =
        io.edgemq.protocol.v1.Message.newBuilder()
            .setTopic(s.topic())
            .setTag(s.tags())
            .addAllKeys(s.keys())
            .setBody(ByteString.copyFrom(s.body()))
            .setBornTimestampMs(s.bornTimestamp())
            .setMessageId(s.messageId().toString());
    for (Map.Entry<String, String> e : s.properties().entrySet()) {
      if (e.getKey().equals(MESSAGE_GROUP)) {
        b.setMessageGroup(e.getValue());
      } else if (e.getKey().equals(Traces.CONTEXT_PROPERTY)) {
        b.setTraceContext(e.getValue());
      } else if (e.getKey().equals(CORRELATION_ID)) {
        b.setCorrelationId(e.getValue());
      } else if (e.getKey().equals(REPLY_TO)) {
        b.setReplyToClientId(e.getValue());
      } else if (!e.getKey().startsWith(RESERVED_PREFIX)) {
        b.putUserProperties(e.getKey(), e.getValue());
      }
    }
    if (s.bornHost() != null) {
      b.setBornHost(address(s.bornHost()));
    }
    SystemProperties.Builder sp =
        SystemProperties.newBuilder()
            .setBrokerName(brokerName)
            .setQueueId(s.queueId())
            .setQueueOffset(s.queueOffset())
            .setStoreTimestampMs(s.storeTimestamp())
            .setCommitLogOffset(s.physicalOffset())
            .setStoreSize(s.storeSize());
    if (s.storeHost() != null) {
      sp.setStoreHost(address(s.storeHost()));
    }
    Map<String, String> props = s.properties();
    sp.setReconsumeTimes((int) SystemTopics.longProperty(props, SystemTopics.RECONSUME_TIMES, 0))
        .setScheduledTimestampMs(SystemTopics.longProperty(props, SystemTopics.SCHEDULED_AT, 0))
        .addAllFailureHistory(DeliveryFailures.decode(props.get(SystemTopics.FAILURES)));
    String original = props.get(SystemTopics.ORIGINAL_TOPIC);
    if (original != null) {
      sp.setOriginalTopic(original);
    }
    return b.setSystemProperties(sp).build();
  }

  private static Address address(InetSocketAddress a) {
    return Address.newBuilder()
        .setHost(a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString())
        .setPort(a.getPort())
        .build();
  }
}
