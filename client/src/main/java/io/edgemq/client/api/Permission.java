package io.edgemq.client.api;

/** What clients may do with a topic on a broker. */
public enum Permission {
  /** Neither send nor pull. */
  NONE,
  /** Pull only. */
  READ,
  /** Send only. */
  WRITE,
  /** Send and pull. */
  READ_WRITE
}
