package io.edgemq.store.commitlog;

/**
 * The layout of one CommitLog record. All integers are big-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       total size (int)                        |  0
 *  |                         magic (int)                           |  4
 *  |         CRC32C of bytes [12, total size) (int)                |  8
 *  |                         flags (int)                           | 12
 *  |                      queue offset (long)                      | 16
 *  |                     physical offset (long)                    | 24
 *  |                  born timestamp, epoch ms (long)              | 32
 *  |                  store timestamp, epoch ms (long)             | 40
 *  |                  message id, 16 bytes                         | 48
 *  |      born host: 16-byte IPv6 address (IPv4 mapped), int port  | 64
 *  |      store host: same layout                                  | 84
 *  |                        queue id (int)                         | 104
 *  |  topic length (u16) | topic (US-ASCII)                        | 108
 *  |  tags length (u16)  | tags (UTF-8)                            |
 *  |  key count (u16)    | { key length (u16) | key (UTF-8) } ...  |
 *  |  property count (u16) | { name len (u16) | name | value len (u16) | value } ... |
 *  |                       body length (int)                       |
 *  |                            body                               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>A segment ends with a blank record: total size = the bytes left in the segment, magic = {@link
 * #BLANK_MAGIC}, nothing else. Every record leaves room for one, so a reader at the end of a
 * segment always finds it. Bytes past the last record are zero, so a total size of 0 marks the end
 * of the log.
 */
public final class RecordDescriptor {
  /** Magic of a message record; the low byte is the format version. */
  public static final int MESSAGE_MAGIC = 0xED6E_4D01;

  /** Magic of the blank record that pads the end of a segment. */
  public static final int BLANK_MAGIC = 0xED6E_B1A4;

  /** Offset of the total size. */
  public static final int TOTAL_SIZE_OFFSET = 0;

  /** Offset of the magic. */
  public static final int MAGIC_OFFSET = 4;

  /** Offset of the CRC32C. */
  public static final int CRC_OFFSET = 8;

  /** The CRC covers everything from here to the end of the record. */
  public static final int CRC_START = 12;

  /** Offset of the flags. */
  public static final int FLAGS_OFFSET = 12;

  /** Offset of the queue offset. */
  public static final int QUEUE_OFFSET_OFFSET = 16;

  /** Offset of the physical offset. */
  public static final int PHYSICAL_OFFSET_OFFSET = 24;

  /** Offset of the born timestamp. */
  public static final int BORN_TIMESTAMP_OFFSET = 32;

  /** Offset of the store timestamp. */
  public static final int STORE_TIMESTAMP_OFFSET = 40;

  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = 48;

  /** Offset of the born host. */
  public static final int BORN_HOST_OFFSET = 64;

  /** Offset of the store host. */
  public static final int STORE_HOST_OFFSET = 84;

  /** Bytes of one host field: 16 address bytes and an int port. */
  public static final int HOST_LENGTH = 20;

  /** Offset of the queue id. */
  public static final int QUEUE_ID_OFFSET = 104;

  /** Offset of the topic length; the variable part starts here. */
  public static final int TOPIC_LENGTH_OFFSET = 108;

  /** Size of the fixed part. */
  public static final int FIXED_LENGTH = 110;

  /** The smallest message record: empty topic, tags, keys, properties and body. */
  public static final int MIN_RECORD_LENGTH = FIXED_LENGTH + 2 + 2 + 2 + 4;

  /** The smallest blank record (total size and magic). */
  public static final int BLANK_MIN_LENGTH = 8;

  /** Longest topic, in bytes. */
  public static final int MAX_TOPIC_LENGTH = 127;

  /** Longest tag, in bytes. */
  public static final int MAX_TAGS_LENGTH = 1024;

  /** Longest key, in bytes. */
  public static final int MAX_KEY_LENGTH = 1024;

  /** Most keys on one message. */
  public static final int MAX_KEY_COUNT = 64;

  /** Most bytes in all property names and values together. */
  public static final int MAX_PROPERTIES_LENGTH = 32 * 1024;

  private RecordDescriptor() {}

  /**
   * The encoded size of a record.
   *
   * @param topicLength topic bytes
   * @param tagsLength tag bytes
   * @param keysLength sum of (2 + key bytes) over the keys
   * @param propertiesLength sum of (4 + name bytes + value bytes) over the properties
   * @param bodyLength body bytes
   * @return the total size
   */
  public static int recordLength(
      int topicLength, int tagsLength, int keysLength, int propertiesLength, int bodyLength) {
    return FIXED_LENGTH
        + topicLength
        + 2
        + tagsLength
        + 2
        + keysLength
        + 2
        + propertiesLength
        + 4
        + bodyLength;
  }
}
