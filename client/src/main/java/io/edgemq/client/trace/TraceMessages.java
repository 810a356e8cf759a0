package io.edgemq.client.trace;

import io.edgemq.client.api.Message;
import io.edgemq.protocol.v1.TraceEvent;
import io.edgemq.protocol.v1.TraceKind;
import java.util.ArrayList;
import java.util.List;

/** How trace events travel: one message of the trace topic per event (see trace.proto). */
public final class TraceMessages {
  /** The trace topic every broker master creates. */
  public static final String TOPIC = "%TRACE%";

  /** The {@code trace_context} a tracing producer puts on its messages. */
  public static final String CONTEXT = "1";

  private static final int MAX_KEYS = 64;
  private static final int MAX_STATUS = 256;

  private TraceMessages() {}

  /**
   * @param e an event
   * @return the trace-topic message carrying it: tag = kind, keys = message id then its keys
   */
  public static Message toMessage(TraceEvent e) {
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
        .tag(kindName(e.getKind()))
        .keys(keys)
        .body(e.toByteArray())
        .build();
  }

  /**
   * @param kind an event kind
   * @return its short name ("SEND", "STORE", ...; "UNKNOWN" for unset or unknown values)
   */
  public static String kindName(TraceKind kind) {
    if (kind == TraceKind.TRACE_KIND_UNSPECIFIED || kind == TraceKind.UNRECOGNIZED) {
      return "UNKNOWN";
    }
    return kind.name().substring("TRACE_KIND_".length());
  }

  /**
   * @param text a status or failure
   * @return it cut to 256 characters
   */
  static String cut(String text) {
    return text.length() <= MAX_STATUS ? text : text.substring(0, MAX_STATUS);
  }
}
