package io.edgemq.broker.common;

/**
 * The broker's own topics and the store properties it keeps on messages. System topic and property
 * names start with '%', which clients cannot use for their own topics or properties.
 */
public final class SystemTopics {
  /** Where delay, timer and retry messages wait until due (queue 0). */
  public static final String TIMER = "%TIMER%";

  /** Prefix of a consumer group's retry topic. */
  public static final String RETRY_PREFIX = "%RETRY%";

  /** Prefix of a consumer group's dead-letter topic. */
  public static final String DLQ_PREFIX = "%DLQ%";

  /** How many times the message was given back by its group before this copy. */
  public static final String RECONSUME_TIMES = "%sys.reconsume_times";

  /** The topic a retry or dead-letter copy was first sent to. */
  public static final String ORIGINAL_TOPIC = "%sys.original_topic";

  /** The failed deliveries of a retry or dead-letter copy ({@code DeliveryFailures} encoding). */
  public static final String FAILURES = "%sys.failures";

  /** A waiting message's destination topic. */
  public static final String REAL_TOPIC = "%sys.real_topic";

  /** A waiting message's destination queue. */
  public static final String REAL_QUEUE = "%sys.real_queue";

  /** When a waiting message is due (epoch ms). */
  public static final String DELIVER_AT = "%sys.deliver_at";

  /** On a delivered delay, timer or retry message: when it was due (epoch ms). */
  public static final String SCHEDULED_AT = "%sys.scheduled_at";

  /** Where transactional half messages wait for their outcome (queue 0). */
  public static final String HALF = "%HALF%";

  /** Where the outcomes of half messages are recorded (queue 0): one op record per outcome. */
  public static final String HALF_OP = "%HALF_OP%";

  /** A half message's producer group. */
  public static final String TX_GROUP = "%sys.tx_group";

  /** On an op record and a committed message: the CommitLog offset of its half message. */
  public static final String HALF_OFFSET = "%sys.half_offset";

  /** On an op record: COMMIT or ROLLBACK. */
  public static final String TX_OUTCOME = "%sys.tx_outcome";

  private SystemTopics() {}

  /**
   * @param group a consumer group
   * @return its retry topic
   */
  public static String retry(String group) {
    return RETRY_PREFIX + group;
  }

  /**
   * @param group a consumer group
   * @return its dead-letter topic
   */
  public static String deadLetter(String group) {
    return DLQ_PREFIX + group;
  }

  /**
   * @param props a message's properties
   * @param name a property name
   * @param fallback the value when absent or not a number
   * @return the property as a long
   */
  public static long longProperty(java.util.Map<String, String> props, String name, long fallback) {
    String v = props.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
