package io.edgemq.gateway.session;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Where persistent sessions are kept so that any gateway node can resume them. Thread-safe. */
public interface SessionStore {

  /**
   * Stores a session record; the newest record of a client id wins.
   *
   * @param state the record
   * @return completes once it is stored under the brokers' flush mode, or exceptionally
   */
  CompletableFuture<Void> save(SessionState state);

  /**
   * Reads the newest record of a client id. May block: never call it on an event loop.
   *
   * @param clientId the client id
   * @return the record, or empty when there is none
   * @throws RuntimeException when the store cannot be read (the caller refuses the CONNECT rather
   *     than starting an empty session over one it could not read)
   */
  Optional<SessionState> load(String clientId);

  /**
   * @return the broker topic the records are kept in, or "" when none
   */
  String topic();

  /**
   * Hands every record any node stores from now on to the listener, so that a node learns that
   * another one took a session over (or ended it).
   *
   * @param listener receives records, on the store's own thread
   * @return stops watching when closed
   */
  AutoCloseable watch(Consumer<SessionState> listener);

  /** Keeps nothing: sessions live in this node's memory only. */
  SessionStore NONE =
      new SessionStore() {
        @Override
        public CompletableFuture<Void> save(SessionState state) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public String topic() {
          return "";
        }

        @Override
        public Optional<SessionState> load(String clientId) {
          return Optional.empty();
        }

        @Override
        public AutoCloseable watch(Consumer<SessionState> listener) {
          return () -> {};
        }
      };
}
