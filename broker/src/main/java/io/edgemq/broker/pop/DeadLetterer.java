package io.edgemq.broker.pop;

import io.edgemq.broker.retry.RetryService;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.SendBackResponse;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.ReadResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves messages whose last allowed delivery expired to {@code %DLQ%{group}} (through {@link
 * RetryService}), then ends their delivery in the pop log. A failed move makes the delivery
 * receivable again so the next receive or sweep tries once more; a crash between the move and the
 * log record moves it twice (at least once, never lost).
 */
final class DeadLetterer {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterer.class);

  private final MessageStore store;
  private final PopTable table;
  private final RetryService retry;
  private final Executor executor;

  DeadLetterer(MessageStore store, PopTable table, RetryService retry, Executor executor) {
    this.store = store;
    this.table = table;
    this.retry = retry;
    this.executor = executor;
  }

  /**
   * @param key the group's queue
   * @param deliveries expired last deliveries, already marked as being dead-lettered
   */
  void deadLetter(QueueKey key, List<InFlight> deliveries) {
    for (InFlight f : deliveries) {
      ReadResult r = store.readAt(f.commitLogOffset());
      if (!r.isFound()) {
        LOG.warn(
            "group {}: {} offset {} deleted before dead-lettering", key.group(), key, f.offset());
        end(key, f);
        continue;
      }
      CompletableFuture<SendBackResponse> moved;
      try {
        moved = retry.deadLetterExpired(key.group(), r.message(), f.attempt());
      } catch (RuntimeException e) {
        moved = CompletableFuture.failedFuture(e);
      }
      moved.whenCompleteAsync(
          (answer, e) -> {
            if (e == null && Codes.isOk(answer.getStatus())) {
              end(key, f);
            } else {
              LOG.error(
                  "dead-lettering {} offset {} for group {} failed: {}; trying again",
                  key.topic(),
                  f.offset(),
                  key.group(),
                  e != null ? e.toString() : answer.getStatus());
              retryLater(key, f);
            }
          },
          executor);
    }
  }

  private void retryLater(QueueKey key, InFlight f) {
    table.update(
        key,
        k -> 0,
        q -> {
          q.unmarkDeadLettering(f.offset());
          return null;
        });
  }

  private void end(QueueKey key, InFlight f) {
    table.update(
        key,
        k -> 0,
        q -> {
          if (q.get(f.offset()) != null && q.get(f.offset()).seq() == f.seq()) {
            table.write(new PopRecord.Ack(key, f.offset(), f.seq()));
            q.remove(f.offset(), f.seq());
          }
          return null;
        });
  }
}
