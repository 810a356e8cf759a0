package io.edgemq.broker.transaction;

import io.edgemq.broker.api.TransactionConfig;
import io.edgemq.broker.api.TransactionConfig.Outcome;
import io.edgemq.broker.command.CommandChannels;
import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.send.MessageMapper;
import io.edgemq.broker.send.SendService;
import io.edgemq.broker.send.StatusMapping;
import io.edgemq.broker.timer.DelayRules;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.CheckTransaction;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.EndTransactionRequest;
import io.edgemq.protocol.v1.EndTransactionResponse;
import io.edgemq.protocol.v1.MessageQueue;
import io.edgemq.protocol.v1.SendHalfRequest;
import io.edgemq.protocol.v1.SendHalfResponse;
import io.edgemq.protocol.v1.SendReceipt;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.Status;
import io.edgemq.protocol.v1.TransactionResolution;
import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.ReadResult;
import io.edgemq.store.api.ReadStatus;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SendHalf, EndTransaction and the check-back loop. A commit stores the committed copy first and
 * the op record second; a restart that finds a pending half whose committed copy exists writes the
 * missing op record instead of committing again (see {@link HalfTable#committedWithoutOp}).
 */
public final class TransactionService {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionService.class);
  private static final int READ_RETRIES = 200;
  private static final long READ_RETRY_NANOS = 5_000_000;

  private final String brokerName;
  private final boolean master;
  private final MessageStore store;
  private final TopicTable topics;
  private final SendService send;
  private final CommandChannels channels;
  private final TransactionConfig config;
  private final Clock clock;
  private final Executor executor;
  private final HalfTable table = new HalfTable();

  /** The collaborators of a transaction service. */
  public record Parts(
      String brokerName,
      boolean master,
      MessageStore store,
      TopicTable topics,
      SendService send,
      CommandChannels channels,
      Executor executor) {}

  private TransactionService(Parts p, TransactionConfig config, Clock clock) {
    this.brokerName = p.brokerName();
    this.master = p.master();
    this.store = p.store();
    this.topics = p.topics();
    this.send = p.send();
    this.channels = p.channels();
    this.executor = p.executor();
    this.config = config;
    this.clock = clock;
  }

  /**
   * Rebuilds the pending half messages from the store and, on a master, starts checking them.
   *
   * @param parts the collaborators
   * @param config check interval, maximum checks, default outcome
   * @param clock the broker's clock (check times)
   * @param scheduler runs the check loop
   * @return the service
   */
  public static TransactionService start(
      Parts parts, TransactionConfig config, Clock clock, ScheduledExecutorService scheduler) {
    TransactionService t = new TransactionService(parts, config, clock);
    long interval = config.checkInterval().toMillis();
    t.table.load(parts.store(), stored -> stored + interval);
    for (Half h : t.table.committedWithoutOp(parts.store())) {
      synchronized (h) {
        t.appendOp(h, Outcome.COMMIT);
        t.table.end(h, Outcome.COMMIT);
      }
      LOG.info("half message {} was committed before the stop; op record written", h.id);
    }
    LOG.info("{} pending transactional half messages", t.table.pendingCount());
    if (parts.master()) {
      long tick = Math.max(50, Math.min(1000, interval / 4));
      scheduler.scheduleWithFixedDelay(t::checkDueSafely, tick, tick, TimeUnit.MILLISECONDS);
    }
    return t;
  }

  /**
   * @return how many half messages wait for their outcome
   */
  public int pendingCount() {
    return table.pendingCount();
  }

  /**
   * Stores a half message.
   *
   * @param req the request
   * @param peer the connection's peer address, or null
   * @return the answer, completed on the broker's executor
   */
  public CompletableFuture<SendHalfResponse> sendHalf(SendHalfRequest req, InetSocketAddress peer) {
    Message real;
    String group = req.getProducerGroup();
    try {
      if (group.isEmpty()) {
        throw new Rejection(Code.ILLEGAL_GROUP, "a transactional message needs a producer group");
      }
      Names.checkProducerGroup(group);
      if (req.hasMessage() && DelayRules.isScheduled(req.getMessage())) {
        throw new Rejection(
            Code.ILLEGAL_MESSAGE, "a transactional message cannot be a delay or timer message");
      }
      SendRequest.Builder s =
          SendRequest.newBuilder().setProducerGroup(group).setClientId(req.getClientId());
      if (req.hasMessage()) {
        s.setMessage(req.getMessage());
      }
      if (req.hasQueueId()) {
        s.setQueueId(req.getQueueId());
      }
      real = send.toStore(s.build(), peer);
    } catch (Rejection r) {
      return CompletableFuture.completedFuture(
          SendHalfResponse.newBuilder().setStatus(r.status()).build());
    }
    Message half = HalfMessages.toHalf(real, group);
    return store
        .append(half)
        .handleAsync(
            (r, e) -> {
              if (e != null) {
                LOG.error("half message append failed", e);
                return SendHalfResponse.newBuilder()
                    .setStatus(Codes.status(Code.INTERNAL, "store append failed: " + e))
                    .build();
              }
              if (!StatusMapping.written(r.status())) {
                return SendHalfResponse.newBuilder().setStatus(storeStatus(r)).build();
              }
              long first = clock.millis() + config.checkInterval().toMillis();
              table.add(new Half(r.physicalOffset(), r.messageId(), group, first));
              return SendHalfResponse.newBuilder()
                  .setStatus(storeStatus(r))
                  .setReceipt(receipt(real.topic(), real.queueId(), r))
                  .build();
            },
            executor);
  }

  /**
   * Applies a transaction's outcome. Blocks until the committed copy and the op record are stored.
   *
   * @param req the request
   * @return the answer
   */
  public EndTransactionResponse end(EndTransactionRequest req) {
    if (!master) {
      return answer(Codes.status(Code.NOT_LEADER, "this broker is a replica: end at the master"));
    }
    TransactionResolution res = req.getResolution();
    if (res == TransactionResolution.TRANSACTION_RESOLUTION_UNSPECIFIED
        || res == TransactionResolution.UNRECOGNIZED
        || req.getHalfOffset() < 0) {
      return answer(Codes.status(Code.BAD_REQUEST, "resolution and half_offset >= 0 required"));
    }
    Half h = table.pending(req.getHalfOffset());
    if (h == null) {
      return repeated(req);
    }
    synchronized (h) {
      if (h.ended != null) {
        return repeated(req);
      }
      if (!h.group.equals(req.getProducerGroup()) || !h.id.toString().equals(req.getMessageId())) {
        return notFound(req);
      }
      if (res == TransactionResolution.TRANSACTION_RESOLUTION_UNKNOWN) {
        return answer(Codes.ok());
      }
      Outcome o =
          res == TransactionResolution.TRANSACTION_RESOLUTION_COMMIT
              ? Outcome.COMMIT
              : Outcome.ROLLBACK;
      return apply(h, o);
    }
  }

  private EndTransactionResponse repeated(EndTransactionRequest req) {
    HalfTable.Ended e = table.ended(req.getHalfOffset());
    if (e == null
        || !e.group().equals(req.getProducerGroup())
        || !e.messageId().equals(req.getMessageId())) {
      return notFound(req);
    }
    TransactionResolution res = req.getResolution();
    boolean same =
        res == TransactionResolution.TRANSACTION_RESOLUTION_UNKNOWN
            || (res == TransactionResolution.TRANSACTION_RESOLUTION_COMMIT)
                == (e.outcome() == Outcome.COMMIT);
    if (same) {
      return answer(Codes.ok());
    }
    return answer(
        Codes.status(
            Code.TRANSACTION_ALREADY_ENDED,
            "transaction " + req.getMessageId() + " already ended with " + e.outcome()));
  }

  private static EndTransactionResponse notFound(EndTransactionRequest req) {
    return answer(
        Codes.status(
            Code.TRANSACTION_NOT_FOUND,
            "no half message "
                + req.getMessageId()
                + " of group '"
                + req.getProducerGroup()
                + "' at offset "
                + req.getHalfOffset()));
  }

  private static EndTransactionResponse answer(Status s) {
    return EndTransactionResponse.newBuilder().setStatus(s).build();
  }

  /** Stores the outcome of a pending half; call holding its monitor. */
  private EndTransactionResponse apply(Half h, Outcome o) {
    SendReceipt receipt = null;
    if (o == Outcome.COMMIT) {
      ReadResult r = readHalf(h, true);
      if (!r.isFound()) {
        return r.status() == ReadStatus.NOT_FOUND
            ? answer(
                Codes.status(
                    Code.SERVICE_UNAVAILABLE, "the half message is not readable yet; retry"))
            : answer(
                Codes.status(Code.TRANSACTION_NOT_FOUND, "the half message is no longer stored"));
      }
      String topic = HalfMessages.realTopic(r.message());
      Optional<Topic> t = topics.find(topic);
      if (t.isEmpty()) {
        return answer(Codes.status(Code.TOPIC_NOT_FOUND, "topic '" + topic + "' is gone"));
      }
      int q = Math.floorMod(HalfMessages.realQueue(r.message()), t.get().writeQueues());
      AppendResult a = store.append(HalfMessages.toCommitted(r.message(), q)).join();
      if (!StatusMapping.written(a.status())) {
        return answer(storeStatus(a));
      }
      receipt = receipt(topic, q, a);
    }
    AppendResult op = appendOp(h, o);
    if (o == Outcome.ROLLBACK && !StatusMapping.written(op.status())) {
      return answer(storeStatus(op));
    }
    table.end(h, o);
    EndTransactionResponse.Builder b = EndTransactionResponse.newBuilder().setStatus(Codes.ok());
    if (receipt != null) {
      b.setReceipt(receipt);
    }
    return b.build();
  }

  private AppendResult appendOp(Half h, Outcome o) {
    AppendResult op = store.append(HalfMessages.op(h.offset, o)).join();
    if (!StatusMapping.written(op.status())) {
      // a commit is safe anyway: a restart finds the committed copy by its half offset
      LOG.error("op record of half message {} ({}) not stored: {}", h.id, o, op);
    }
    return op;
  }

  private void checkDueSafely() {
    try {
      checkDue();
    } catch (RuntimeException e) {
      LOG.error("transaction check round failed; next round goes on", e);
    }
  }

  /** Checks every pending half message that is due, or applies the default outcome. */
  void checkDue() {
    long now = clock.millis();
    for (Half h : table.pendingHalves()) {
      if (h.nextCheckAt > now) {
        continue;
      }
      synchronized (h) {
        if (h.ended != null) {
          continue;
        }
        if (h.checks >= config.maxChecks()) {
          LOG.warn(
              "transaction {} of producer group '{}' unanswered after {} checks; applying the"
                  + " default outcome {}",
              h.id,
              h.group,
              h.checks,
              config.defaultOutcome());
          EndTransactionResponse r = apply(h, config.defaultOutcome());
          if (!Codes.isOk(r.getStatus()) && config.defaultOutcome() == Outcome.COMMIT) {
            LOG.warn("default commit of {} failed ({}); rolling back", h.id, r.getStatus());
            apply(h, Outcome.ROLLBACK);
          }
          continue;
        }
        check(h, now);
      }
    }
  }

  private void check(Half h, long now) {
    ReadResult r = readHalf(h, false);
    if (!r.isFound()) {
      return;
    }
    io.edgemq.protocol.v1.Message m =
        MessageMapper.toProto(r.message(), brokerName).toBuilder()
            .setTopic(HalfMessages.realTopic(r.message()))
            .clearSystemProperties()
            .build();
    String to =
        channels.check(
            CheckTransaction.newBuilder()
                .setProducerGroup(h.group)
                .setMessageId(h.id.toString())
                .setHalfOffset(h.offset)
                .setMessage(m)
                .setCheckCount(h.checks)
                .build());
    if (to == null) {
      LOG.debug("no live producer of group '{}' to check {}", h.group, h.id);
    }
    h.checks++;
    h.nextCheckAt = now + config.checkInterval().toMillis();
  }

  /**
   * Reads a half message back. An acknowledged record may not be readable for a few ms (the store
   * answers ASYNC appends before the record reaches its file), so a commit right after SendHalf
   * waits for it; a record deleted by retention or corrupted is forgotten with a WARN.
   */
  private ReadResult readHalf(Half h, boolean wait) {
    ReadResult r = store.readAt(h.offset);
    for (int i = 0; wait && r.status() == ReadStatus.NOT_FOUND && i < READ_RETRIES; i++) {
      LockSupport.parkNanos(READ_RETRY_NANOS);
      r = store.readAt(h.offset);
    }
    if (r.status() == ReadStatus.GONE || r.status() == ReadStatus.CORRUPTED) {
      LOG.warn("half message {} at {} is gone ({}); forgotten", h.id, h.offset, r.reason());
      table.drop(h);
    }
    return r;
  }

  private Status storeStatus(AppendResult r) {
    Code c = StatusMapping.code(r.status());
    return c == Code.OK
        ? Codes.ok()
        : Codes.status(c, "store refused the append: " + r.status() + " " + r.reason());
  }

  private SendReceipt receipt(String topic, int queueId, AppendResult r) {
    return SendReceipt.newBuilder()
        .setMessageId(r.messageId().toString())
        .setQueue(
            MessageQueue.newBuilder().setTopic(topic).setBrokerName(brokerName).setQueueId(queueId))
        .setQueueOffset(r.queueOffset())
        .setStoreTimestampMs(r.storeTimestamp())
        .setCommitLogOffset(r.physicalOffset())
        .build();
  }
}
