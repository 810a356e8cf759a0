package io.edgemq.sim.fleet;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything one device needs to connect.
 *
 * @param clientId the client id
 * @param server gateway address
 * @param localAddress source address (port 0), or null for the system's choice
 * @param mqttVersion 3 or 5
 * @param qos QoS of publishes
 * @param cleanSession clean session / clean start
 * @param sessionExpiry MQTT 5 session expiry
 * @param keepAlive keep-alive
 * @param credentials user name and password, if any
 * @param ssl TLS settings, if TLS
 * @param connectTimeout how long a CONNECT may take before it counts as failed
 */
record ConnectSettings(
    String clientId,
    InetSocketAddress server,
    InetSocketAddress localAddress,
    int mqttVersion,
    int qos,
    boolean cleanSession,
    Duration sessionExpiry,
    Duration keepAlive,
    Optional<Credentials.Entry> credentials,
    Optional<MqttClientSslConfig> ssl,
    Duration connectTimeout) {}
