package io.edgemq.client.transaction;

import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.Transaction;
import io.edgemq.client.api.TransactionResolution;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.protocol.v1.TransactionSource;

/** A stored half message: ends at the broker that stored it. */
final class HalfTransaction implements Transaction {
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

  private void end(TransactionResolution r) {
    Calls.join(
        outcomes.end(
            broker, messageId, halfOffset, r, TransactionSource.TRANSACTION_SOURCE_PRODUCER));
  }
}
