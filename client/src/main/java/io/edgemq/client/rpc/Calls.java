package io.edgemq.client.rpc;

import io.edgemq.client.api.ClientException;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Unary calls as futures, and the mapping of gRPC failures and protocol statuses to exceptions. */
public final class Calls {
  private Calls() {}

  /**
   * Starts a unary call on an async stub.
   *
   * @param invoker calls the stub method with the given observer
   * @param <T> the response type
   * @return completes with the response, or exceptionally with a {@link ClientException}
   */
  public static <T> CompletableFuture<T> unary(Consumer<StreamObserver<T>> invoker) {
    // The same call; nobody cancels its future.
    return Calls.<Object, T>cancellable(invoker);
  }

  /**
   * Starts a unary call whose future's {@code cancel} cancels the call (used for long polls, so
   * close does not wait for them).
   *
   * @param invoker calls the stub method with the given observer
   * @param <Q> the request type
   * @param <T> the response type
   * @return completes with the response, or exceptionally with a {@link ClientException}
   */
  public static <Q, T> CompletableFuture<T> cancellable(Consumer<StreamObserver<T>> invoker) {
    CompletableFuture<T> f = new CompletableFuture<>();
    AtomicReference<ClientCallStreamObserver<Q>> call = new AtomicReference<>();
    f.whenComplete(
        (r, e) -> {
          ClientCallStreamObserver<Q> c = call.get();
          if (f.isCancelled() && c != null) {
            c.cancel("cancelled by the client", null);
          }
        });
    try {
      invoker.accept(
          new ClientResponseObserver<Q, T>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
              call.set(requestStream);
            }

            @Override
            public void onNext(T value) {
              f.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              f.completeExceptionally(fromGrpc(t));
            }

            @Override
            public void onCompleted() {
              if (!f.isDone()) {
                f.completeExceptionally(
                    new ClientException(Code.INTERNAL_VALUE, "call completed without an answer"));
              }
            }
          });
    } catch (RuntimeException e) {
      f.completeExceptionally(fromGrpc(e));
    }
    return f;
  }

  /**
   * Maps a failure without an answer to a {@link ClientException}: {@code UNIMPLEMENTED} to {@link
   * Code#UNSUPPORTED}, {@code RESOURCE_EXHAUSTED} to {@link Code#MESSAGE_TOO_LARGE}, everything
   * else to a transport failure with {@link Code#SERVICE_UNAVAILABLE}.
   *
   * @param t the failure
   * @return the exception
   */
  public static ClientException fromGrpc(Throwable t) {
    if (t instanceof ClientException ce) {
      return ce;
    }
    io.grpc.Status s = io.grpc.Status.fromThrowable(t);
    return switch (s.getCode()) {
      case UNIMPLEMENTED ->
          new ClientException(
              Code.UNSUPPORTED_VALUE, "the server does not implement this call", false, t);
      case RESOURCE_EXHAUSTED ->
          new ClientException(
              Code.MESSAGE_TOO_LARGE_VALUE, "gRPC: " + s.getDescription(), false, t);
      default ->
          new ClientException(
              Code.SERVICE_UNAVAILABLE_VALUE,
              "no answer: "
                  + s.getCode()
                  + (s.getDescription() == null ? "" : " " + s.getDescription()),
              true,
              t instanceof StatusRuntimeException ? t : s.asRuntimeException());
    };
  }

  /**
   * Throws unless the status is OK. {@code CODE_UNSPECIFIED} counts as {@code INTERNAL}.
   *
   * @param status a response's status
   * @param what the call, for the message
   * @throws ClientException with the status's code
   */
  public static void check(Status status, String what) {
    if (!Codes.isOk(status)) {
      throw failure(status, what);
    }
  }

  /**
   * @param status a non-OK status
   * @param what the call, for the message
   * @return the exception carrying its code
   */
  public static ClientException failure(Status status, String what) {
    int code = status.getCodeValue() == 0 ? Code.INTERNAL_VALUE : status.getCodeValue();
    return new ClientException(code, what + ": " + status.getMessage());
  }

  /**
   * Unwraps the cause of a failed future's exception.
   *
   * @param t an exception from a future
   * @return the {@link ClientException} inside, or one wrapping it
   */
  public static ClientException unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof ClientException ce) {
      return ce;
    }
    if (c instanceof StatusRuntimeException) {
      return fromGrpc(c);
    }
    return new ClientException(Code.INTERNAL_VALUE, String.valueOf(c), false, c);
  }

  /**
   * Waits for a future, for the blocking API.
   *
   * @param f the future
   * @param <T> its type
   * @return its value
   * @throws ClientException when it failed or the thread was interrupted
   */
  public static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(false);
      throw new ClientException(Code.SERVICE_UNAVAILABLE_VALUE, "interrupted", true, e);
    } catch (ExecutionException e) {
      ClientException ce = unwrap(e);
      // a new exception so the caller's stack shows where it waited
      throw new ClientException(ce.codeValue(), stripCode(ce), ce.isTransport(), ce);
    }
  }

  private static String stripCode(ClientException ce) {
    String m = ce.getMessage();
    int i = m.indexOf(": ");
    return i < 0 ? m : m.substring(i + 2);
  }
}
