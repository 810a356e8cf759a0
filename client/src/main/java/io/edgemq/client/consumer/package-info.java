/**
 * The consumers: broker-assigned queues from heartbeats, long-poll pull loops, offset tracking and
 * commits, the push consumer's listener threads and the pull consumer's buffer.
 */
package io.edgemq.client.consumer;
