/**
 * The broker benchmark: one broker process, producers and a consumer in the benchmark's process,
 * over real gRPC on loopback. Run with {@code mvn -B -pl broker -am -Pbench -DskipTests verify}.
 */
package io.edgemq.broker.bench;
