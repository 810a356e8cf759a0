package io.edgemq.gateway.server;

/**
 * What connections report for the metrics. Called on event loops: implementations must be cheap and
 * must not block.
 */
public interface ConnectionEvents {
  /** Reports nothing. */
  ConnectionEvents NONE =
      new ConnectionEvents() {
        @Override
        public void closed(CloseReason reason) {}

        @Override
        public void dropped(DropReason reason) {}
      };

  /**
   * @param reason why a connection ended
   */
  void closed(CloseReason reason);

  /**
   * @param reason why a message was not passed on
   */
  void dropped(DropReason reason);
}
