package io.edgemq.gateway.delivery;

import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.link.LinkException;
import io.edgemq.gateway.session.QueueRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one of the gateway's own log topics (retained messages, wills) whole and follows it: the
 * node starts serving only once it knows what the log held at its start. Brokers that are not
 * reachable yet (a cluster starting) are asked again until the wait ends.
 */
final class LogReader {
  private static final Logger LOG = LoggerFactory.getLogger(LogReader.class);
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private LogReader() {}

  /**
   * @param link the brokers
   * @param topic the log topic
   * @param listener receives every entry, old ones first
   * @return the feed, once it read every entry stored before the call (or the wait ended)
   * @throws LinkException when the brokers stayed unreachable for the whole wait
   */
  static BrokerLink.Feed readWholeAndFollow(
      BrokerLink link, String topic, BrokerLink.FeedListener listener) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Map<QueueRef, Long> ends;
    BrokerLink.Feed feed;
    while (true) {
      try {
        ends = link.endOffsets(topic);
        feed = link.feedFromStart(topic, listener);
        break;
      } catch (LinkException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new LinkException(
              "cannot read " + topic + " within " + WAIT + ": " + e.getMessage(), e.refused(), e);
        }
        LOG.info("{} not readable yet ({}); asking again", topic, e.getMessage());
        LockSupport.parkNanos(RETRY_NANOS);
      }
    }
    while (!caughtUp(feed, ends)) {
      if (System.nanoTime() - deadline > 0) {
        LOG.warn("{} not read to its end within {}; going on", topic, WAIT);
        return feed;
      }
      LockSupport.parkNanos(STEP_NANOS);
    }
    return feed;
  }

  private static boolean caughtUp(BrokerLink.Feed feed, Map<QueueRef, Long> ends) {
    for (Map.Entry<QueueRef, Long> e : ends.entrySet()) {
      if (feed.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
