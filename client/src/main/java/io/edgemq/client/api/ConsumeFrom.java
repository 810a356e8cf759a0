package io.edgemq.client.api;

/** Where a consumer starts in a queue for which its group has no committed offset. */
public enum ConsumeFrom {
  /** The queue's first available message. */
  EARLIEST,
  /** The queue's end: only messages stored from now on. */
  LATEST
}
