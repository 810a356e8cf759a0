package io.edgemq.broker.server;

import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers unary calls, turning unexpected failures into an INTERNAL status in the body. */
final class Calls {
  private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

  private Calls() {}

  static <R> void answer(
      StreamObserver<R> obs, Supplier<R> work, Function<Status, R> onError, String rpc) {
    R r;
    try {
      r = work.get();
    } catch (Rejection e) {
      r = onError.apply(e.status());
    } catch (RuntimeException e) {
      LOG.error("{} failed", rpc, e);
      r = onError.apply(Codes.status(Code.INTERNAL, rpc + " failed: " + e));
    }
    complete(obs, r);
  }

  static <R> void answerAsync(
      StreamObserver<R> obs,
      Supplier<CompletableFuture<R>> work,
      Function<Status, R> onError,
      String rpc) {
    CompletableFuture<R> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      answer(obs, () -> rethrow(e), onError, rpc);
      return;
    }
    f.whenComplete(
        (r, e) -> {
          if (e == null) {
            complete(obs, r);
          } else {
            LOG.error("{} failed", rpc, e);
            complete(obs, onError.apply(Codes.status(Code.INTERNAL, rpc + " failed: " + e)));
          }
        });
  }

  private static <R> R rethrow(RuntimeException e) {
    throw e;
  }

  static <R> void complete(StreamObserver<R> obs, R r) {
    try {
      obs.onNext(r);
      obs.onCompleted();
    } catch (RuntimeException e) {
      // The caller went away (cancelled); nothing to answer.
      LOG.debug("could not answer: {}", e.toString());
    }
  }
}
