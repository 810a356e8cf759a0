/**
 * Send and SendBatch: mapping protocol messages onto store messages, queue selection (explicit, by
 * message-group hash, round-robin), permission checks, auto-creation of topics, and the mapping of
 * store append statuses onto protocol codes.
 */
package io.edgemq.broker.send;
