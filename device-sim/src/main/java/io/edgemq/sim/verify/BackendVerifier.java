package io.edgemq.sim.verify;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.PullConsumer;
import io.edgemq.sim.report.Metrics;
import io.edgemq.sim.stream.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes what the gateway stored, as a backend service would (the project's pull consumer, a
 * fresh consumer group reading from the earliest offset), and records each arrival in the ledger.
 * Messages of earlier runs in the same topics carry another run id and are skipped. One thread
 * polls, so each queue's messages are counted in queue order and reordering is real, not an
 * artefact of concurrent listeners.
 */
public final class BackendVerifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackendVerifier.class);

  private final PullConsumer consumer;
  private final Ledger ledger;
  private final Metrics metrics;
  private final Clock clock;
  private final long runId;
  private final int dropEvery;
  private final Thread thread;
  private final LongAdder foreign = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder transientFailures = new LongAdder();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private volatile boolean running = true;
  private long seen;

  /**
   * Starts consuming.
   *
   * @param config how to reach the nameservers
   * @param topics broker topics to read
   * @param runId this run's id
   * @param ledger where arrivals are recorded
   * @param metrics counters and end-to-end latency
   * @param clock the clock send times are compared with
   * @param dropEvery fault injection: ignore every n-th message (0 = none)
   */
  public BackendVerifier(
      ClientConfig config,
      List<String> topics,
      long runId,
      Ledger ledger,
      Metrics metrics,
      Clock clock,
      int dropEvery) {
    PullConsumer.Builder b =
        PullConsumer.builder()
            .clientConfig(config)
            .consumerGroup(String.format("sim-verify-%016x", runId))
            .consumeFrom(ConsumeFrom.EARLIEST)
            .pullBatchSize(256)
            .maxBufferedPerQueue(4096)
            .maxPollMessages(1024)
            .longPollTimeout(Duration.ofSeconds(2));
    for (String t : topics) {
      b.subscribe(t, "*");
    }
    this.consumer = b.build();
    this.ledger = ledger;
    this.metrics = metrics;
    this.clock = clock;
    this.runId = runId;
    this.dropEvery = dropEvery;
    this.thread = new Thread(this::loop, "sim-verifier");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void loop() {
    try {
      while (running) {
        List<MessageView> batch = poll();
        for (MessageView m : batch) {
          accept(m);
        }
        if (!batch.isEmpty()) {
          commit();
        }
      }
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("verifier stopped consuming", e);
        failure.set(e);
      }
    }
  }

  private List<MessageView> poll() {
    try {
      return consumer.poll(Duration.ofMillis(200));
    } catch (ClientException e) {
      transientFailure(e);
      return List.of();
    }
  }

  // offsets only spare a restarted verifier some reading: a commit that times out under load is
  // retried with the next batch, never fatal
  private void commit() {
    try {
      consumer.commit();
    } catch (ClientException e) {
      transientFailure(e);
    }
  }

  private void transientFailure(ClientException e) {
    if (!e.isRetryable() && !e.isTransport()) {
      throw e;
    }
    transientFailures.increment();
    if (transientFailures.sum() % 100 == 1) {
      LOG.warn("verifier: {} (retrying; {} so far)", e.getMessage(), transientFailures.sum());
    }
    LockSupport.parkNanos(100_000_000L); // back off a little before the next call
  }

  private void accept(MessageView m) {
    Optional<Envelope> e = Envelope.read(m.bodyBytes());
    if (e.isEmpty() || e.get().runId() != runId) {
      foreign.increment();
      return;
    }
    seen++;
    if (dropEvery > 0 && seen % dropEvery == 0) {
      dropped.increment();
      return;
    }
    Envelope env = e.get();
    metrics.received.increment();
    metrics.endToEndLatency(micros(clock.instant()) - env.sentMicros());
    ledger.arrived(env.deviceId(), env.stream(), env.seq(), m.messageId());
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  /** Messages of other runs or not from the simulator. */
  public long foreign() {
    return foreign.sum();
  }

  /** Messages ignored on purpose (fault injection). */
  public long dropped() {
    return dropped.sum();
  }

  /** Why consuming stopped, if it failed. */
  public Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure.get());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
    consumer.close();
  }
}
