package io.edgemq.store.commitlog;

import io.edgemq.store.api.MessageId;
import java.util.List;

/**
 * The header fields of a record that the consume queues and the index are built from.
 *
 * @param topic the topic
 * @param queueId the queue id
 * @param queueOffset the queue offset
 * @param physicalOffset the record's CommitLog offset
 * @param size the record's size
 * @param tagHash the tag hash
 * @param storeTimestamp the store time
 * @param messageId the id
 * @param keys the keys
 */
public record DispatchRecord(
    String topic,
    int queueId,
    long queueOffset,
    long physicalOffset,
    int size,
    long tagHash,
    long storeTimestamp,
    MessageId messageId,
    List<String> keys) {}
