package io.edgemq.store.api;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message as read back from the store, with everything the store assigned.
 *
 * @param messageId the id
 * @param topic the topic
 * @param queueId the queue id
 * @param queueOffset the position in its consume queue
 * @param physicalOffset the position of the record in the CommitLog
 * @param storeSize the size of the whole record in bytes
 * @param tags the tag, empty when none
 * @param keys the indexed keys
 * @param properties the properties, in the order they were given
 * @param body the body, a read-only buffer
 * @param bornTimestamp producer time, epoch ms
 * @param storeTimestamp store time, epoch ms
 * @param bornHost the producer's address, or null
 * @param storeHost the store's address, or null
 * @param flags application flags
 */
public record StoredMessage(
    MessageId messageId,
    String topic,
    int queueId,
    long queueOffset,
    long physicalOffset,
    int storeSize,
    String tags,
    List<String> keys,
    Map<String, String> properties,
    ByteBuffer body,
    long bornTimestamp,
    long storeTimestamp,
    InetSocketAddress bornHost,
    InetSocketAddress storeHost,
    int flags) {

  /** Copies the collections and makes the body read-only. */
  public StoredMessage {
    keys = List.copyOf(keys);
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    body = body.asReadOnlyBuffer();
  }

  /**
   * @return a read-only view of the body, positioned at 0
   */
  @Override
  public ByteBuffer body() {
    return body.duplicate();
  }

  /**
   * @return a copy of the body
   */
  public byte[] bodyBytes() {
    ByteBuffer b = body.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /**
   * @return the CommitLog offset just past this record
   */
  public long nextPhysicalOffset() {
    return physicalOffset + storeSize;
  }
}
