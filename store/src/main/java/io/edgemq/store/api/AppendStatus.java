package io.edgemq.store.api;

/** The outcome of an append. Only {@link #OK} means the record is stored as the flush mode says. */
public enum AppendStatus {
  /** Stored; under {@link FlushMode#SYNC} also forced to disk. */
  OK,
  /** Written to the CommitLog but the force did not finish in time; durability is unknown. */
  FLUSH_TIMEOUT,
  /** The encoded record is larger than {@code maxMessageSize}. Nothing was written. */
  MESSAGE_TOO_LARGE,
  /** The topic is empty, too long or has characters outside {@code [A-Za-z0-9_%|-]}. */
  TOPIC_INVALID,
  /** A field other than the topic is invalid (queue id, tags, keys or properties too long). */
  MESSAGE_INVALID,
  /** The disk is full or above {@code diskRefuseWritesRatio}. Nothing was written. */
  DISK_FULL,
  /** An I/O error other than a full disk. Nothing was acknowledged. */
  IO_ERROR,
  /** The store is closing or closed. */
  STORE_CLOSED
}
