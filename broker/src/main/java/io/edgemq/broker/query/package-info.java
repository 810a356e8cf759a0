/**
 * Read-only admin queries: messages by id and by key (the store's index) and consumer lag per group
 * and queue.
 */
package io.edgemq.broker.query;
