/**
 * The MQTT server: Netty listeners (TCP, TLS, WebSocket, secure WebSocket), the pipeline (one
 * handler per concern, the codec apart from the logic) and the per-connection protocol handler.
 */
package io.edgemq.gateway.server;
