package io.edgemq.gateway.link;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.PullConsumer;
import io.edgemq.gateway.session.QueueRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads given queues from given offsets with a pull consumer of its own, for a session that reads
 * again what it missed. Its group never commits anything that matters: positions are the session's.
 */
final class ReplayReader implements BrokerLink.QueueReader {
  private final PullConsumer consumer;

  private ReplayReader(PullConsumer consumer) {
    this.consumer = consumer;
  }

  static ReplayReader open(ClientConfig config, String group, Map<QueueRef, Long> from) {
    PullConsumer c =
        PullConsumer.builder()
            .clientConfig(config)
            .consumerGroup(group)
            .consumeFrom(ConsumeFrom.EARLIEST)
            .build();
    try {
      List<MessageQueue> queues = new ArrayList<>();
      from.keySet().forEach(q -> queues.add(Deliveries.messageQueue(q)));
      c.assign(queues);
      from.forEach((q, offset) -> c.seek(Deliveries.messageQueue(q), offset));
      return new ReplayReader(c);
    } catch (RuntimeException e) {
      c.close();
      throw Sends.failure(e);
    }
  }

  @Override
  public List<BrokerLink.FeedMessage> poll(Duration timeout) {
    List<BrokerLink.FeedMessage> out = new ArrayList<>();
    for (MessageView m : consumer.poll(timeout)) {
      out.add(Deliveries.feedMessage(m));
    }
    return out;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
