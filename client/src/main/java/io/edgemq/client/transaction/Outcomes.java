package io.edgemq.client.transaction;

import io.edgemq.client.api.TransactionResolution;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.v1.EndTransactionRequest;
import io.edgemq.protocol.v1.EndTransactionResponse;
import io.edgemq.protocol.v1.TransactionGrpc;
import io.edgemq.protocol.v1.TransactionSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Sends EndTransaction calls of one producer group. */
final class Outcomes {
  private final Rpc rpc;
  private final String group;

  Outcomes(Rpc rpc, String group) {
    this.rpc = rpc;
    this.group = group;
  }

  /**
   * @return completes when the broker applied the outcome, or with a ClientException
   */
  CompletableFuture<Void> end(
      Endpoint broker,
      String messageId,
      long halfOffset,
      TransactionResolution resolution,
      TransactionSource source) {
    EndTransactionRequest req =
        EndTransactionRequest.newBuilder()
            .setProducerGroup(group)
            .setClientId(rpc.clientId())
            .setMessageId(messageId)
            .setHalfOffset(halfOffset)
            .setResolution(
                switch (resolution) {
                  case COMMIT ->
                      io.edgemq.protocol.v1.TransactionResolution.TRANSACTION_RESOLUTION_COMMIT;
                  case ROLLBACK ->
                      io.edgemq.protocol.v1.TransactionResolution.TRANSACTION_RESOLUTION_ROLLBACK;
                  case UNKNOWN ->
                      io.edgemq.protocol.v1.TransactionResolution.TRANSACTION_RESOLUTION_UNKNOWN;
                })
            .setSource(source)
            .build();
    TransactionGrpc.TransactionStub stub =
        TransactionGrpc.newStub(rpc.channel(broker.host(), broker.port()))
            .withDeadlineAfter(rpc.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<EndTransactionResponse> f = Calls.unary(o -> stub.endTransaction(req, o));
    return f.thenAccept(
        r -> Calls.check(r.getStatus(), resolution + " of transaction " + messageId));
  }
}
