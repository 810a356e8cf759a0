/**
 * Pull: tag expressions, reads from the store, OFFSET_GONE/OFFSET_OVERFLOW, assignment and epoch
 * checks, and long polling (parked calls woken by the store's arrival listener or a timeout; no
 * thread waits).
 */
package io.edgemq.broker.pull;
