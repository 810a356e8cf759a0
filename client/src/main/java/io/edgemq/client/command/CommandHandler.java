package io.edgemq.client.command;

import io.edgemq.client.rpc.Endpoint;
import io.edgemq.protocol.v1.CheckTransaction;
import io.edgemq.protocol.v1.ReplyDelivery;

/** What a client does with the commands its brokers push. Called on a gRPC callback thread. */
public interface CommandHandler {
  /**
   * @param broker the broker that asks
   * @param check the transaction to check
   */
  void check(Endpoint broker, CheckTransaction check);

  /**
   * @param reply a reply to one of this client's requests
   */
  void reply(ReplyDelivery reply);
}
