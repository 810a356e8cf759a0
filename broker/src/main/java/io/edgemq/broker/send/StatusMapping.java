package io.edgemq.broker.send;

import io.edgemq.protocol.v1.Code;
import io.edgemq.store.api.AppendStatus;

/** Store append statuses as protocol codes. */
public final class StatusMapping {
  private StatusMapping() {}

  public static Code code(AppendStatus s) {
    switch (s) {
      case OK:
        return Code.OK;
      case FLUSH_TIMEOUT:
        return Code.FLUSH_TIMEOUT;
      case MESSAGE_TOO_LARGE:
        return Code.MESSAGE_TOO_LARGE;
      case TOPIC_INVALID:
        return Code.ILLEGAL_TOPIC;
      case MESSAGE_INVALID:
        return Code.ILLEGAL_MESSAGE;
      case DISK_FULL:
        return Code.DISK_FULL;
      case STORE_CLOSED:
        return Code.SERVICE_UNAVAILABLE;
      case IO_ERROR:
      default:
        return Code.INTERNAL;
    }
  }

  /** Whether the message was written (a receipt is set). */
  public static boolean written(AppendStatus s) {
    return s == AppendStatus.OK || s == AppendStatus.FLUSH_TIMEOUT;
  }
}
