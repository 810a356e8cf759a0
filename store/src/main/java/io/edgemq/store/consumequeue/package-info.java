/**
 * Consume queues: per topic and queue id, a dense array of fixed 20-byte units pointing into the
 * CommitLog, so reading a queue by offset is one multiplication away from its record.
 */
package io.edgemq.store.consumequeue;
