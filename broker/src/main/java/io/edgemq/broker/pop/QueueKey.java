package io.edgemq.broker.pop;

/**
 * A group's pop state is kept per topic queue.
 *
 * @param group consumer group
 * @param topic topic
 * @param queueId queue id
 */
record QueueKey(String group, String topic, int queueId) {}
