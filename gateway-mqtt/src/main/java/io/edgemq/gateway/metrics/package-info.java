/**
 * The gateway's meters for /metrics (Micrometer): connections, sessions, subscriptions, MQTT
 * packets in and out by type, and the time from a device's PUBLISH to the broker's answer.
 */
package io.edgemq.gateway.metrics;
