package io.edgemq.broker.command;

import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.ReplyRequest;
import io.edgemq.protocol.v1.Status;

/**
 * Request-reply: routes a reply to its requester's command channel on this broker. Replies are not
 * stored; a requester that is gone simply never gets it (and its own timeout fires).
 */
public final class Replies {
  private final CommandChannels channels;
  private final int maxBodyBytes;

  /**
   * @param channels the open command channels
   * @param maxBodyBytes the largest reply body (the store's maximum message size)
   */
  public Replies(CommandChannels channels, int maxBodyBytes) {
    this.channels = channels;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * @param req the reply
   * @return OK, or why it was not routed
   */
  public Status reply(ReplyRequest req) {
    if (!req.hasMessage()) {
      return Codes.status(Code.BAD_REQUEST, "message is required");
    }
    Message m = req.getMessage();
    if (m.getCorrelationId().isEmpty() || m.getReplyToClientId().isEmpty()) {
      return Codes.status(
          Code.BAD_REQUEST, "a reply needs the request's correlation_id and reply_to_client_id");
    }
    if (m.getBody().size() > maxBodyBytes) {
      return Codes.status(
          Code.MESSAGE_TOO_LARGE,
          "reply body of " + m.getBody().size() + " bytes exceeds " + maxBodyBytes);
    }
    if (!channels.reply(m.getReplyToClientId(), m)) {
      return Codes.status(
          Code.REQUESTER_NOT_CONNECTED,
          "requester " + m.getReplyToClientId() + " has no command channel on this broker");
    }
    return Codes.ok();
  }
}
