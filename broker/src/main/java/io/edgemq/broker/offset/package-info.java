/**
 * Consumer offsets kept by the broker: per group, topic and queue (and member, for broadcasting
 * groups), with the offset epoch; persisted to the {@code offsets} file periodically and on close;
 * the QueryOffset and CommitOffset RPCs.
 */
package io.edgemq.broker.offset;
