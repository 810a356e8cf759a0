/**
 * Message trace on the broker: STORE, RETRY and DEAD_LETTER events of traced messages (those sent
 * with {@code trace_context}), written asynchronously to the trace topic {@code %TRACE%}. See
 * docs/broker.md, "Message trace".
 */
package io.edgemq.broker.trace;
