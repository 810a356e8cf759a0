package io.edgemq.store.api;

/**
 * Told when a message becomes readable in its consume queue, so long-polling readers can wake up.
 * Called on the dispatcher thread: implementations must be quick and must not block.
 */
@FunctionalInterface
public interface ArrivalListener {

  /**
   * A message is now readable.
   *
   * @param topic the topic
   * @param queueId the queue id
   * @param queueOffset the new message's queue offset
   * @param tagHash the new message's tag hash
   */
  void onArrival(String topic, int queueId, long queueOffset, long tagHash);
}
