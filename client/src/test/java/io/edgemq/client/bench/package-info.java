/**
 * The send benchmark: one broker process, a nameserver, producers and a consumer in the benchmark's
 * process, over real gRPC on loopback. Run with {@code mvn -B -q -pl client -am install
 * -DskipTests} then {@code mvn -B -pl client -Pbench -DskipTests verify} (see BENCHMARKS.md).
 */
package io.edgemq.client.bench;
