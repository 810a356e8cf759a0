package io.edgemq.gateway.link;

import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.gateway.link.BrokerLink.FeedListener;
import io.edgemq.gateway.link.BrokerLink.FeedMessage;
import io.edgemq.gateway.session.QueueRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands a broker message to a feed's listener. */
final class Deliveries {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  private Deliveries() {}

  /**
   * @param m a message read from the broker
   * @return it as the listener sees it
   */
  static FeedMessage feedMessage(MessageView m) {
    return new FeedMessage(
        m.topic(),
        m.tag().orElse(null),
        m.messageId(),
        MqttProperties.decode(m),
        m.properties().get(MqttProperties.TOPIC),
        queueRef(m.queue()),
        m.queueOffset(),
        m.storeTimestampMs());
  }

  /**
   * @param q a client queue
   * @return the gateway's name for it
   */
  static QueueRef queueRef(MessageQueue q) {
    return new QueueRef(q.topic(), q.brokerName(), q.queueId());
  }

  /**
   * @param q the gateway's name of a queue
   * @return the client's
   */
  static MessageQueue messageQueue(QueueRef q) {
    return new MessageQueue(q.topic(), q.broker(), q.queueId());
  }

  /**
   * Calls the listener. An exception it throws is logged and swallowed: one bad message or a bug in
   * one session must not stop the topic for every device behind this gateway.
   *
   * @param listener the listener
   * @param m the message
   */
  static void deliver(FeedListener listener, MessageView m) {
    try {
      listener.onMessage(feedMessage(m));
    } catch (RuntimeException e) {
      LOG.warn("feed listener failed on {} of {}; skipping it", m.messageId(), m.queue(), e);
    }
  }
}
