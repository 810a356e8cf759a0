package io.edgemq.broker.server;

import io.edgemq.broker.command.CommandChannels;
import io.edgemq.broker.command.Replies;
import io.edgemq.broker.transaction.TransactionService;
import io.edgemq.protocol.v1.CommandStreamRequest;
import io.edgemq.protocol.v1.CommandStreamResponse;
import io.edgemq.protocol.v1.EndTransactionRequest;
import io.edgemq.protocol.v1.EndTransactionResponse;
import io.edgemq.protocol.v1.ReplyRequest;
import io.edgemq.protocol.v1.ReplyResponse;
import io.edgemq.protocol.v1.SendHalfRequest;
import io.edgemq.protocol.v1.SendHalfResponse;
import io.edgemq.protocol.v1.TransactionGrpc;
import io.grpc.stub.StreamObserver;

/** {@code edgemq.v1.Transaction}: adapts each RPC to the transaction and command services. */
public final class TransactionRpc extends TransactionGrpc.TransactionImplBase {
  private final TransactionService transactions;
  private final CommandChannels channels;
  private final Replies replies;

  /**
   * @param transactions half messages and outcomes
   * @param channels the command channels
   * @param replies request-reply routing
   */
  public TransactionRpc(
      TransactionService transactions, CommandChannels channels, Replies replies) {
    this.transactions = transactions;
    this.channels = channels;
    this.replies = replies;
  }

  @Override
  public void sendHalf(SendHalfRequest req, StreamObserver<SendHalfResponse> obs) {
    Calls.answerAsync(
        obs,
        () -> transactions.sendHalf(req, Peer.current()),
        s -> SendHalfResponse.newBuilder().setStatus(s).build(),
        "SendHalf");
  }

  @Override
  public void endTransaction(
      EndTransactionRequest req, StreamObserver<EndTransactionResponse> obs) {
    Calls.answer(
        obs,
        () -> transactions.end(req),
        s -> EndTransactionResponse.newBuilder().setStatus(s).build(),
        "EndTransaction");
  }

  @Override
  public StreamObserver<CommandStreamRequest> commandStream(
      StreamObserver<CommandStreamResponse> obs) {
    return channels.open(obs);
  }

  @Override
  public void reply(ReplyRequest req, StreamObserver<ReplyResponse> obs) {
    Calls.answer(
        obs,
        () -> ReplyResponse.newBuilder().setStatus(replies.reply(req)).build(),
        s -> ReplyResponse.newBuilder().setStatus(s).build(),
        "Reply");
  }
}
