package io.edgemq.client.api;

/** What a {@link MessageListener} says about one message. */
public enum ConsumeResult {
  /** Processed; its offset may be committed. */
  SUCCESS,
  /** Not processed; the message is delivered again after a back-off and its offset held back. */
  FAILURE
}
