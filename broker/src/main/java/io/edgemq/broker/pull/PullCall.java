package io.edgemq.broker.pull;

import io.edgemq.protocol.v1.PullResponse;

/** The caller's side of one pull: where the answer goes. */
public interface PullCall {

  /**
   * Sends the answer and completes the call. Called at most once.
   *
   * @param response the answer
   */
  void respond(PullResponse response);

  /**
   * @param onCancel run when the caller goes away before the answer
   */
  void onCancel(Runnable onCancel);
}
