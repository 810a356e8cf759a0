package io.edgemq.client.api;

/** Processes the messages a {@link PushConsumer} delivers. Called from the consume threads. */
@FunctionalInterface
public interface MessageListener {

  /**
   * Processes one message. A thrown exception counts as {@link ConsumeResult#FAILURE}.
   *
   * @param message the delivered message
   * @return whether it was processed
   */
  ConsumeResult consume(MessageView message);
}
