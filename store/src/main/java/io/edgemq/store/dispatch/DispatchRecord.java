package io.edgemq.store.dispatch;

/**
 * The header fields of a record that the consume queues and the index are built from; keys and id
 * arrive already hashed.
 *
 * @param topic the topic
 * @param queueId the queue id
 * @param queueOffset the queue offset
 * @param physicalOffset the record's CommitLog offset
 * @param size the record's size
 * @param tagHash the tag hash
 * @param storeTimestamp the store time
 * @param idHash {@link IndexKeys#forId} of the message id
 * @param keyHashes {@link IndexKeys#forKey} of each key
 */
record DispatchRecord(
    String topic,
    int queueId,
    long queueOffset,
    long physicalOffset,
    int size,
    long tagHash,
    long storeTimestamp,
    long idHash,
    long[] keyHashes) {}
