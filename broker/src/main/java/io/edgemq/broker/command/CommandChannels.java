package io.edgemq.broker.command;

import io.edgemq.protocol.v1.ChannelReady;
import io.edgemq.protocol.v1.CheckTransaction;
import io.edgemq.protocol.v1.CommandStreamRequest;
import io.edgemq.protocol.v1.CommandStreamResponse;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.ReplyDelivery;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open command channels of this broker, by client id (at most one per client: a newer one
 * replaces the older). A channel is gone as soon as its stream ends, so a check is only ever sent
 * to a client that is connected now.
 */
public final class CommandChannels {
  private static final Logger LOG = LoggerFactory.getLogger(CommandChannels.class);

  private final String brokerName;
  private final Map<String, CommandChannel> byClient = new ConcurrentHashMap<>();

  /**
   * @param brokerName this broker group's name, sent in {@code ready}
   */
  public CommandChannels(String brokerName) {
    this.brokerName = brokerName;
  }

  /**
   * Serves one {@code CommandStream} call.
   *
   * @param out the response stream
   * @return the request stream's observer
   */
  public StreamObserver<CommandStreamRequest> open(StreamObserver<CommandStreamResponse> out) {
    return new StreamObserver<>() {
      private CommandChannel channel;

      @Override
      public void onNext(CommandStreamRequest req) {
        if (channel != null) {
          channel.producerGroups(new HashSet<>(req.getProducerGroupsList()));
          return;
        }
        String clientId = req.getClient().getClientId();
        if (clientId.isEmpty()) {
          out.onError(
              Status.INVALID_ARGUMENT
                  .withDescription("the first CommandStreamRequest needs client.client_id")
                  .asRuntimeException());
          return;
        }
        channel = new CommandChannel(clientId, new HashSet<>(req.getProducerGroupsList()), out);
        CommandChannel old = byClient.put(clientId, channel);
        if (old != null) {
          old.end();
        }
        channel.push(
            CommandStreamResponse.newBuilder()
                .setReady(ChannelReady.newBuilder().setBrokerName(brokerName))
                .build());
        LOG.debug("command channel of {} open", clientId);
      }

      @Override
      public void onError(Throwable t) {
        gone();
      }

      @Override
      public void onCompleted() {
        if (channel != null) {
          channel.end();
        } else {
          out.onCompleted();
        }
        gone();
      }

      private void gone() {
        if (channel != null) {
          channel.markEnded();
          byClient.remove(channel.clientId(), channel);
          LOG.debug("command channel of {} closed", channel.clientId());
        }
      }
    };
  }

  /**
   * Sends a check to one live member of a producer group, picked at random.
   *
   * @param check the check
   * @return the client id it went to, or null when no member of the group is connected
   */
  public String check(CheckTransaction check) {
    List<CommandChannel> members = new ArrayList<>();
    for (CommandChannel c : byClient.values()) {
      if (c.serves(check.getProducerGroup())) {
        members.add(c);
      }
    }
    CommandStreamResponse cmd =
        CommandStreamResponse.newBuilder().setCheckTransaction(check).build();
    while (!members.isEmpty()) {
      CommandChannel c = members.remove(ThreadLocalRandom.current().nextInt(members.size()));
      if (c.push(cmd)) {
        return c.clientId();
      }
      byClient.remove(c.clientId(), c);
    }
    return null;
  }

  /**
   * Pushes a reply to its requester.
   *
   * @param requester the requesting client's id
   * @param reply the reply
   * @return false when the requester has no open channel here
   */
  public boolean reply(String requester, Message reply) {
    CommandChannel c = byClient.get(requester);
    if (c == null) {
      return false;
    }
    boolean sent =
        c.push(
            CommandStreamResponse.newBuilder()
                .setReply(ReplyDelivery.newBuilder().setMessage(reply).setBrokerName(brokerName))
                .build());
    if (!sent) {
      byClient.remove(requester, c);
    }
    return sent;
  }

  /** Ends every channel (broker stop), so the server's shutdown does not wait for them. */
  public void endAll() {
    for (CommandChannel c : byClient.values()) {
      c.end();
    }
    byClient.clear();
  }
}
