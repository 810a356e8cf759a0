package io.edgemq.store.api;

/** The outcome of reading one record. */
public enum ReadStatus {
  /** The record was read and its checksum matched. */
  FOUND,
  /** No record starts at that offset, or no message has that id. */
  NOT_FOUND,
  /** The record was deleted by retention. */
  GONE,
  /** The bytes at that offset fail the checksum or the format; see the reason. */
  CORRUPTED
}
