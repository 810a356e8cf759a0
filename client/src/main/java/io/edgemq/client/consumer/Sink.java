package io.edgemq.client.consumer;

import io.edgemq.client.api.MessageView;
import java.util.List;

/** Where a {@link ConsumerCore} hands pulled messages: the push listener or the poll buffer. */
public interface Sink {

  /**
   * Takes a pulled batch; every message is already counted in flight in the queue's tracker, and
   * must be marked done with {@link ConsumerCore#done(QueueState, long)} when processed.
   *
   * @param state the queue
   * @param messages the batch, in queue order
   */
  void deliver(QueueState state, List<MessageView> messages);

  /**
   * The queue was dropped (revoked, seek, offset reset): forget its messages not yet processed.
   *
   * @param state the queue
   */
  void discard(QueueState state);
}
