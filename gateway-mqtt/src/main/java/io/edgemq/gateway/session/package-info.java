/**
 * MQTT sessions: subscriptions, the outbound in-flight window and queue, inbound QoS 2 state, and
 * the registry that hands a session from an old connection to a new one (takeover).
 */
package io.edgemq.gateway.session;
