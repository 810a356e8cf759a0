package io.edgemq.client.api;

import io.edgemq.client.producer.ReplierImpl;
import java.util.concurrent.CompletableFuture;

/**
 * Answers requests sent with {@link Producer#request}: the reply goes to the broker that stored the
 * request, which pushes it to the requesting client. Thread-safe; share one per application.
 *
 * <pre>{@code
 * try (Replier replier = Replier.create(config)) {
 *   PushConsumer c = PushConsumer.builder()....listener(m -> {
 *     replier.reply(m, answer(m));
 *     return ConsumeResult.SUCCESS;
 *   }).build();
 * }
 * }</pre>
 */
public interface Replier extends AutoCloseable {

  /**
   * Starts a replier.
   *
   * @param config nameservers, timeouts, client id
   * @return the replier
   */
  static Replier create(ClientConfig config) {
    return ReplierImpl.start(config);
  }

  /**
   * Sends a reply and waits until the broker handed it to the requester's connection.
   *
   * @param request the request as delivered (it carries the correlation id and the requester)
   * @param body the reply's body
   * @throws ClientException REQUESTER_NOT_CONNECTED when the requester is gone, or another code
   * @throws IllegalArgumentException when the message is not a request
   */
  void reply(MessageView request, byte[] body);

  /**
   * The asynchronous form of {@link #reply(MessageView, byte[])}.
   *
   * @param request the request as delivered
   * @param body the reply's body
   * @return completes when the broker routed the reply
   */
  CompletableFuture<Void> replyAsync(MessageView request, byte[] body);

  /** Closes the connections. */
  @Override
  void close();
}
