package io.edgemq.broker.pop;

import io.edgemq.store.api.StoredMessage;

/**
 * A message handed out by a receive, and its delivery.
 *
 * @param message the stored message
 * @param delivery its delivery (seq, invisible time, attempt)
 */
record Popped(StoredMessage message, InFlight delivery) {}
