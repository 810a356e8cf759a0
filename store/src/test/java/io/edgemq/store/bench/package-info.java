/**
 * A benchmark of the message store, run with {@code mvn -B -pl store -Pbench -DskipTests verify}
 * (options through {@code -Dbench.args="..."}, see {@link io.edgemq.store.bench.BenchArgs}).
 *
 * <p>It measures this machine's raw disk limits first (sequential write bandwidth, small write +
 * fdatasync latency), then append throughput and latency for each flush mode, body size and writer
 * count, dispatch lag, and read throughput by queue, and prints each result beside the limit it is
 * bounded by, followed by the project's targets marked MET or MISSED.
 *
 * <p>It lives in the test tree so that it can use HdrHistogram and logback without making them
 * dependencies of the store itself; it is not a unit test and surefire does not run it.
 */
package io.edgemq.store.bench;
