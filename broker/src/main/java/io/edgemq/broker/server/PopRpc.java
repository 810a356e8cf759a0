package io.edgemq.broker.server;

import io.edgemq.broker.pop.PopService;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.AckBatchRequest;
import io.edgemq.protocol.v1.AckBatchResponse;
import io.edgemq.protocol.v1.AckRequest;
import io.edgemq.protocol.v1.AckResponse;
import io.edgemq.protocol.v1.ChangeInvisibleDurationRequest;
import io.edgemq.protocol.v1.ChangeInvisibleDurationResponse;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ReceiveRequest;
import io.edgemq.protocol.v1.ReceiveResponse;
import io.edgemq.protocol.v1.SimpleConsumptionGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code edgemq.v1.SimpleConsumption}: adapts each RPC to the pop service. */
public final class PopRpc extends SimpleConsumptionGrpc.SimpleConsumptionImplBase {
  private final PopService pop;

  /**
   * @param pop the pop service
   */
  public PopRpc(PopService pop) {
    this.pop = pop;
  }

  @Override
  public void receive(ReceiveRequest req, StreamObserver<ReceiveResponse> obs) {
    ServerCallStreamObserver<ReceiveResponse> call =
        (ServerCallStreamObserver<ReceiveResponse>) obs;
    Deadline d = Context.current().getDeadline();
    long remaining = d == null ? Long.MAX_VALUE : d.timeRemaining(TimeUnit.MILLISECONDS);
    AtomicBoolean answered = new AtomicBoolean();
    PopService.ReceiveCall rc =
        new PopService.ReceiveCall() {
          @Override
          public void respond(ReceiveResponse response) {
            if (answered.compareAndSet(false, true)) {
              Calls.complete(call, response);
            }
          }

          @Override
          public void onCancel(Runnable onCancel) {
            call.setOnCancelHandler(onCancel);
          }
        };
    try {
      pop.receive(req, remaining, rc);
    } catch (RuntimeException e) {
      rc.respond(
          ReceiveResponse.newBuilder()
              .setStatus(Codes.status(Code.INTERNAL, "receive failed: " + e))
              .build());
    }
  }

  @Override
  public void ack(AckRequest req, StreamObserver<AckResponse> obs) {
    Calls.answer(
        obs,
        () -> pop.deliveries().ack(req),
        s -> AckResponse.newBuilder().setStatus(s).build(),
        "Ack");
  }

  @Override
  public void ackBatch(AckBatchRequest req, StreamObserver<AckBatchResponse> obs) {
    Calls.answer(
        obs,
        () -> pop.deliveries().ackBatch(req),
        s -> AckBatchResponse.newBuilder().setStatus(s).build(),
        "AckBatch");
  }

  @Override
  public void changeInvisibleDuration(
      ChangeInvisibleDurationRequest req, StreamObserver<ChangeInvisibleDurationResponse> obs) {
    Calls.answer(
        obs,
        () -> pop.deliveries().changeInvisibleDuration(req),
        s -> ChangeInvisibleDurationResponse.newBuilder().setStatus(s).build(),
        "ChangeInvisibleDuration");
  }
}
