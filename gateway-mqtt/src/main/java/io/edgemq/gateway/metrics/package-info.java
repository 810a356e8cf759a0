/**
 * The gateway's meters for /metrics (Micrometer): connections, CONNECT outcomes, disconnects and
 * dropped messages by reason, sessions, subscriptions, queued messages, MQTT packets in and out by
 * type, and the time from a device's PUBLISH to the broker's answer.
 */
package io.edgemq.gateway.metrics;
