/**
 * Message trace in the client: SEND events of a tracing producer, DELIVER and CONSUME_OK /
 * CONSUME_FAIL events of a tracing push consumer, sent asynchronously in batches to the trace topic
 * {@code %TRACE%} by a {@link io.edgemq.client.trace.TraceDispatcher}. See docs/client.md, "Message
 * trace".
 */
package io.edgemq.client.trace;
