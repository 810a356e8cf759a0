package io.edgemq.broker.trace;

import io.edgemq.protocol.v1.TraceEvent;
import io.edgemq.protocol.v1.TraceKind;
import io.edgemq.store.api.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The trace topic, the stored trace mark, and how an event becomes a message of the topic. */
public final class Traces {
  /** The system topic every master creates at start; trace events go to its queue 0. */
  public static final String TOPIC = "%TRACE%";

  /** The store property holding a traced message's {@code trace_context}. */
  public static final String CONTEXT_PROPERTY = "%sys.trace";

  /** The longest {@code trace_context} the broker takes. */
  public static final int MAX_CONTEXT = 128;

  /** The store's limit on keys per message. */
  private static final int MAX_KEYS = 64;

  /** Longest status text kept in an event. */
  private static final int MAX_STATUS = 256;

  private Traces() {}

  /**
   * @param props a stored message's properties
   * @return whether its producer asked for a trace
   */
  public static boolean isTraced(Map<String, String> props) {
    String c = props.get(CONTEXT_PROPERTY);
    return c != null && !c.isEmpty();
  }

  /**
   * @param text a status or failure text
   * @return it cut to 256 characters
   */
  public static String cut(String text) {
    return text.length() <= MAX_STATUS ? text : text.substring(0, MAX_STATUS);
  }

  /**
   * @param kind an event kind
   * @return its name without the enum prefix, e.g. "STORE"
   */
  public static String tag(TraceKind kind) {
    return kind.name().replace("TRACE_KIND_", "");
  }

  /**
   * The message of the trace topic that carries one event: keyed by the traced message's id and its
   * keys, so the Index finds it by either.
   *
   * @param e the event
   * @param nowMillis the born time
   * @return the message for queue 0 of {@link #TOPIC}
   */
  public static Message toStore(TraceEvent e, long nowMillis) {
    List<String> keys = new ArrayList<>();
    keys.add(e.getMessageId());
    for (String k : e.getKeysList()) {
      if (keys.size() == MAX_KEYS) {
        break;
      }
      if (!k.isEmpty() && !keys.contains(k)) {
        keys.add(k);
      }
    }
    return Message.builder()
        .topic(TOPIC)
        .queueId(0)
        .tags(tag(e.getKind()))
        .keys(keys)
        .body(e.toByteArray())
        .bornTimestamp(nowMillis)
        .build();
  }
}
