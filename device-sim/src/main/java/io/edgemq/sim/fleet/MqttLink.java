package io.edgemq.sim.fleet;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** One device's MQTT connection, whatever the protocol version. */
interface MqttLink {
  /**
   * Connects (or reconnects, resuming the session when it is persistent).
   *
   * @return completes with whether the gateway had a session for this client
   */
  CompletableFuture<Boolean> connect();

  /**
   * Publishes; completes when the PUBLISH was acknowledged (QoS 1: PUBACK, QoS 2: PUBCOMP) or, at
   * QoS 0, written.
   *
   * @param topic the topic
   * @param payload the payload
   * @return completes normally on success, exceptionally on a refusal or a lost connection
   */
  CompletableFuture<Void> publish(String topic, byte[] payload);

  /**
   * Subscribes to one filter and hands every message received to {@code sink}.
   *
   * @param filter the topic filter
   * @param qos maximum QoS
   * @param sink called with each payload, on a client thread
   * @return completes when the SUBACK granted it
   */
  CompletableFuture<Void> subscribe(String filter, int qos, Consumer<byte[]> sink);

  /** Disconnects normally. */
  CompletableFuture<Void> disconnect();
}
