package io.edgemq.client.api;

/**
 * How far a group is behind in one queue.
 *
 * @param queue the queue
 * @param clientId the member holding it (clustering) or whose offset this is (broadcasting); empty
 *     when none
 * @param committedOffset the committed offset, or -1 when none was committed
 * @param minOffset the queue's first available offset
 * @param maxOffset the queue's end
 * @param lag messages not yet consumed
 */
public record QueueLag(
    MessageQueue queue,
    String clientId,
    long committedOffset,
    long minOffset,
    long maxOffset,
    long lag) {}
