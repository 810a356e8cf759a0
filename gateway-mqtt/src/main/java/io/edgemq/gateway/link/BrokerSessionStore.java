package io.edgemq.gateway.link;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.MessageView;
import io.edgemq.gateway.session.SessionCodec;
import io.edgemq.gateway.session.SessionState;
import io.edgemq.gateway.session.SessionStore;
import io.edgemq.protocol.v1.Code;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent sessions as messages of one broker topic: each record is a message keyed by the client
 * id (and sent with it as message group, so one client's records stay in one queue, in order), and
 * a CONNECT finds the newest record through the brokers' key index. The CommitLog is the storage,
 * so a record lives as long as the brokers' retention: an offline session older than that is gone,
 * as are the messages it missed. See docs/gateway-mqtt.md, "Persistent sessions".
 */
final class BrokerSessionStore implements SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerSessionStore.class);
  private static final int MAX_KEY_BYTES = 1024;
  private static final int RECORDS_PER_BROKER = 4;

  private final String topic;
  private final RecordSender send;
  private final Admin admin;
  private final BiFunction<String, BrokerLink.FeedListener, BrokerLink.Feed> feed;

  /**
   * @param topic the session topic
   * @param send stores a record (creating the topic if the link does that)
   * @param admin reads the key index
   * @param feed opens a node feed of a topic
   */
  BrokerSessionStore(
      String topic,
      RecordSender send,
      Admin admin,
      BiFunction<String, BrokerLink.FeedListener, BrokerLink.Feed> feed) {
    this.topic = topic;
    this.send = send;
    this.admin = admin;
    this.feed = feed;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public AutoCloseable watch(Consumer<SessionState> listener) {
    BrokerLink.Feed f =
        feed.apply(
            topic,
            m -> {
              try {
                listener.accept(SessionCodec.decode(m.mqtt().payload()));
              } catch (IllegalArgumentException e) {
                LOG.warn("session record {} in {} is unreadable: {}", m.messageId(), topic, e);
              }
            });
    return f::close;
  }

  /** {@link BrokerLink#sendRecord}. */
  @FunctionalInterface
  interface RecordSender {
    CompletableFuture<Void> send(String topic, String key, byte[] body);
  }

  /**
   * @param clientId a client id
   * @return its key: the id itself, or its SHA-256 when longer than a key may be
   */
  static String key(String clientId) {
    return clientId.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES
        ? clientId
        : "sha256-" + GroupNames.sha256(clientId);
  }

  @Override
  public CompletableFuture<Void> save(SessionState state) {
    return send.send(topic, state.clientId(), SessionCodec.encode(state));
  }

  @Override
  public Optional<SessionState> load(String clientId) {
    List<MessageView> found;
    try {
      found = admin.queryMessageByKey(topic, key(clientId), 0, 0, RECORDS_PER_BROKER);
    } catch (ClientException e) {
      if (e.code() == Code.TOPIC_NOT_FOUND) {
        return Optional.empty(); // nothing was ever stored
      }
      throw Sends.failure(e);
    }
    return found.stream()
        .sorted(
            Comparator.comparingLong(MessageView::storeTimestampMs)
                .thenComparingLong(MessageView::queueOffset)
                .reversed())
        .map(this::decode)
        .flatMap(Optional::stream)
        .filter(s -> s.clientId().equals(clientId)) // a hashed key may be shared
        .findFirst();
  }

  private Optional<SessionState> decode(MessageView m) {
    try {
      return Optional.of(SessionCodec.decode(m.bodyBytes()));
    } catch (IllegalArgumentException e) {
      LOG.warn("session record {} in {} is unreadable, skipped: {}", m.messageId(), topic, e);
      return Optional.empty();
    }
  }
}
