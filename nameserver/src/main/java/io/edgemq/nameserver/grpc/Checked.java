package io.edgemq.nameserver.grpc;

import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Status;

/**
 * A request turned into its internal form, or the status that refuses it.
 *
 * @param value the internal form, null when refused
 * @param refusal the refusing status, null when accepted
 * @param <T> the internal form's type
 */
record Checked<T>(T value, Status refusal) {

  static <T> Checked<T> ok(T value) {
    return new Checked<>(value, null);
  }

  static <T> Checked<T> refused(Code code, String message) {
    return new Checked<>(null, Codes.status(code, message));
  }

  boolean isRefused() {
    return refusal != null;
  }
}
