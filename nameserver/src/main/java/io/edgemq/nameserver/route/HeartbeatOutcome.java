package io.edgemq.nameserver.route;

/** What a broker heartbeat found. */
public enum HeartbeatOutcome {
  /** Known, and the nameserver holds the broker's current topic list. */
  OK,
  /** Known and now alive again, but its data version differs: register with the topic list. */
  REGISTER_REQUIRED,
  /** Not registered (expired, unregistered, or this nameserver restarted): register again. */
  NOT_FOUND
}
