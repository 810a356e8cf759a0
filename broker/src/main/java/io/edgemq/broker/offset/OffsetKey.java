package io.edgemq.broker.offset;

/**
 * Whose offset of which queue.
 *
 * @param group the consumer group
 * @param topic the topic
 * @param queueId the queue
 * @param clientId the member for broadcasting groups; empty for clustering
 */
public record OffsetKey(String group, String topic, int queueId, String clientId) {}
