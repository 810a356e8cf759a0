package io.edgemq.client.transaction;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.Transaction;
import io.edgemq.client.api.TransactionResolution;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.protocol.v1.TransactionSource;

/** A stored half message: ends at the broker that stored it. */
final class HalfTransaction implements Transaction {
  private static final int ATTEMPTS = 3;
  private static final long RETRY_PAUSE_MS = 200;

  private final Outcomes outcomes;
  private final Endpoint broker;
  private final String messageId;
  private final long halfOffset;
  private final MessageQueue queue;

  HalfTransaction(
      Outcomes outcomes, Endpoint broker, String messageId, long halfOffset, MessageQueue queue) {
    this.outcomes = outcomes;
    this.broker = broker;
    this.messageId = messageId;
    this.halfOffset = halfOffset;
    this.queue = queue;
  }

  @Override
  public String messageId() {
    return messageId;
  }

  @Override
  public MessageQueue queue() {
    return queue;
  }

  @Override
  public void commit() {
    end(TransactionResolution.COMMIT);
  }

  @Override
  public void rollback() {
    end(TransactionResolution.ROLLBACK);
  }

  /** Ends it, trying again on a retryable failure: a repeated outcome is harmless. */
  private void end(TransactionResolution r) {
    for (int attempt = 1; ; attempt++) {
      try {
        Calls.join(
            outcomes.end(
                broker, messageId, halfOffset, r, TransactionSource.TRANSACTION_SOURCE_PRODUCER));
        return;
      } catch (ClientException e) {
        if (!e.isRetryable() || attempt == ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(RETRY_PAUSE_MS * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
