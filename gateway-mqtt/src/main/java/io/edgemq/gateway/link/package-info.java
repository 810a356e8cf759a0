/**
 * The gateway's only way to the brokers: {@link io.edgemq.gateway.link.BrokerLink} sends device
 * messages and feeds broker topics back to the gateway. {@link
 * io.edgemq.gateway.link.ClientBrokerLink} is built on the project's Java client; MQTT metadata
 * travels in message properties, encoded by {@link io.edgemq.gateway.link.MqttProperties}.
 */
package io.edgemq.gateway.link;
