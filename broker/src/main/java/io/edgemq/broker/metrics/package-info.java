/**
 * The broker's meters for /metrics (Micrometer): messages and bytes in per topic, send and store
 * append latency, store positions and disk, consumer lag. Bound by {@link
 * io.edgemq.broker.api.Broker#start(io.edgemq.broker.api.BrokerConfig, java.time.Clock,
 * io.micrometer.core.instrument.MeterRegistry)}.
 */
package io.edgemq.broker.metrics;
