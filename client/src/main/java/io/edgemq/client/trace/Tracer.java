package io.edgemq.client.trace;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.MessageListener;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.SendResult;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.TraceEvent;
import io.edgemq.protocol.v1.TraceKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The trace side of one producer or consumer: marks the producer's messages as traced and turns
 * send completions and listener calls into events for its {@link TraceDispatcher}. {@link #off()}
 * does nothing, so callers need no checks.
 */
public final class Tracer implements AutoCloseable {
  private static final Tracer OFF = new Tracer(null, "", "", "");

  private final TraceDispatcher dispatcher;
  private final String host;
  private final String clientId;
  private final String group;

  /**
   * @param dispatcher where events go, or null for a tracer that does nothing
   * @param host this client's host, put in every event
   * @param clientId this client's id
   * @param group the producer or consumer group
   */
  public Tracer(TraceDispatcher dispatcher, String host, String clientId, String group) {
    this.dispatcher = dispatcher;
    this.host = host;
    this.clientId = clientId;
    this.group = group;
  }

  /**
   * @return a tracer that traces nothing
   */
  public static Tracer off() {
    return OFF;
  }

  /**
   * Starts a tracer with its own dispatcher (and its own untraced producer for the events).
   *
   * @param config the client's config
   * @param clientId the client's id
   * @param group its producer or consumer group
   * @return the tracer
   */
  public static Tracer start(ClientConfig config, String clientId, String group) {
    return new Tracer(TraceDispatcher.start(config), LocalHost.ADDRESS, clientId, group);
  }

  /**
   * @return whether this tracer writes events
   */
  public boolean enabled() {
    return dispatcher != null;
  }

  /**
   * @return the dispatcher, or null when off
   */
  public TraceDispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * @param m a message about to be sent
   * @return it marked as traced (so the broker writes its STORE, RETRY and DEAD_LETTER events), or
   *     unchanged when off
   */
  public Message mark(Message m) {
    return enabled() ? m.toBuilder().setTraceContext(TraceMessages.CONTEXT).build() : m;
  }

  /**
   * Writes a SEND event per message once the send completes; call it when the send starts.
   *
   * @param messages the messages as sent
   * @param result the send's outcome
   */
  public void watchSend(List<Message> messages, CompletableFuture<List<SendResult>> result) {
    if (!enabled()) {
      return;
    }
    long start = System.nanoTime();
    long startMs = now();
    result.whenComplete(
        (results, error) -> {
          long cost = (System.nanoTime() - start) / 1_000_000;
          for (int i = 0; i < messages.size(); i++) {
            SendResult r = results != null && i < results.size() ? results.get(i) : null;
            dispatcher.offer(sendEvent(messages.get(i), r, error, cost, startMs));
          }
        });
  }

  private TraceEvent sendEvent(Message m, SendResult r, Throwable error, long cost, long at) {
    TraceEvent.Builder e =
        event(
                TraceKind.TRACE_KIND_SEND,
                m.getMessageId(),
                m.getTopic(),
                m.getTag(),
                m.getKeysList())
            .setTimestampMs(at)
            .setCostMs(cost);
    if (r == null) {
      return e.setQueueId(-1).setQueueOffset(-1).setStatus(failure(error)).build();
    }
    return e.setBrokerName(r.queue().brokerName())
        .setQueueId(r.queue().queueId())
        .setQueueOffset(r.queueOffset())
        .setStatus(r.code().name())
        .build();
  }

  private static String failure(Throwable error) {
    Throwable t =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (t instanceof ClientException c) {
      return TraceMessages.cut(c.code().name() + ": " + c.getMessage());
    }
    return TraceMessages.cut(String.valueOf(t));
  }

  /**
   * @param listener a push consumer's listener
   * @return a listener writing DELIVER before and CONSUME_OK or CONSUME_FAIL after each call, or
   *     the listener itself when off
   */
  public MessageListener wrap(MessageListener listener) {
    if (!enabled()) {
      return listener;
    }
    return m -> {
      dispatcher.offer(delivery(TraceKind.TRACE_KIND_DELIVER, m).setTimestampMs(now()).build());
      long start = System.nanoTime();
      String failure = "FAILURE";
      try {
        ConsumeResult r = listener.consume(m);
        failure = r == ConsumeResult.SUCCESS ? null : "FAILURE";
        return r;
      } catch (RuntimeException e) {
        failure = e.toString();
        throw e;
      } finally {
        // an interrupted listener was stopped by the consume timeout
        String status = Thread.currentThread().isInterrupted() ? "TIMEOUT" : failure;
        dispatcher.offer(
            delivery(
                    status == null
                        ? TraceKind.TRACE_KIND_CONSUME_OK
                        : TraceKind.TRACE_KIND_CONSUME_FAIL,
                    m)
                .setTimestampMs(now())
                .setCostMs((System.nanoTime() - start) / 1_000_000)
                .setStatus(status == null ? "OK" : TraceMessages.cut(status))
                .build());
      }
    };
  }

  /**
   * Writes a DELIVER event per message a pull consumer's {@code poll} hands to the application.
   *
   * @param messages the polled messages
   */
  public void polled(List<MessageView> messages) {
    if (!enabled()) {
      return;
    }
    long at = now();
    for (MessageView m : messages) {
      dispatcher.offer(delivery(TraceKind.TRACE_KIND_DELIVER, m).setTimestampMs(at).build());
    }
  }

  private TraceEvent.Builder delivery(TraceKind kind, MessageView m) {
    return event(kind, m.messageId(), m.topic(), m.tag().orElse(""), m.keys())
        .setBrokerName(m.queue().brokerName())
        .setQueueId(m.queue().queueId())
        .setQueueOffset(m.queueOffset())
        .setReconsumeTimes(m.reconsumeTimes());
  }

  private TraceEvent.Builder event(
      TraceKind kind, String messageId, String topic, String tag, List<String> keys) {
    return TraceEvent.newBuilder()
        .setKind(kind)
        .setMessageId(messageId)
        .setTopic(topic)
        .setTag(tag)
        .addAllKeys(keys)
        .setHost(host)
        .setClientId(clientId)
        .setGroup(group);
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  /** Sends the queued events, then stops the dispatcher. */
  @Override
  public void close() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  /** This machine's address, looked up once (a slow resolver must not delay every client). */
  private static final class LocalHost {
    static final String ADDRESS = lookup();

    private static String lookup() {
      try {
        return InetAddress.getLocalHost().getHostAddress();
      } catch (UnknownHostException e) {
        return "unknown";
      }
    }
  }
}
