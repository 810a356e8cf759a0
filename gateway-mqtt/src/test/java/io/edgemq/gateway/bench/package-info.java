/**
 * The gateway benchmark: a broker and a gateway as child processes, Debian's Mosquitto side by
 * side, and simulated devices (HiveMQ MQTT client) in the benchmark's process. Run with {@code mvn
 * -B -pl gateway-mqtt -am -Pbench -DskipTests verify} (see BENCHMARKS.md).
 */
package io.edgemq.gateway.bench;
