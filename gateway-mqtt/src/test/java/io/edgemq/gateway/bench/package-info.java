/**
 * The gateway benchmark: a broker and a gateway as child processes, Debian's Mosquitto side by
 * side, and simulated devices (HiveMQ MQTT client) in the benchmark's process. Run with {@code mvn
 * -B -q -pl gateway-mqtt -am install -DskipTests} then {@code mvn -B -pl gateway-mqtt -Pbench
 * -DskipTests verify} (see BENCHMARKS.md).
 */
package io.edgemq.gateway.bench;
