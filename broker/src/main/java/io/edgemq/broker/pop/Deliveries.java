package io.edgemq.broker.pop;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.AckBatchRequest;
import io.edgemq.protocol.v1.AckBatchResponse;
import io.edgemq.protocol.v1.AckRequest;
import io.edgemq.protocol.v1.AckResponse;
import io.edgemq.protocol.v1.ChangeInvisibleDurationRequest;
import io.edgemq.protocol.v1.ChangeInvisibleDurationResponse;
import io.edgemq.protocol.v1.Code;
import java.time.Clock;

/** Ack and ChangeInvisibleDuration: what a consumer does with a delivery it holds. */
public final class Deliveries {
  private static final int MAX_BATCH = 1024;
  private final String brokerName;
  private final boolean master;
  private final PopTable table;
  private final Clock clock;

  Deliveries(String brokerName, boolean master, PopTable table, Clock clock) {
    this.brokerName = brokerName;
    this.master = master;
    this.table = table;
    this.clock = clock;
  }

  /**
   * Handles Ack.
   *
   * @param req the request
   * @return the answer
   * @throws Rejection with the code of a refused ack
   */
  public AckResponse ack(AckRequest req) {
    checkCaller(req.getConsumerGroup(), req.getClientId());
    ackOne(req.getConsumerGroup(), req.getReceiptHandle());
    return AckResponse.newBuilder().setStatus(Codes.ok()).build();
  }

  /**
   * Handles AckBatch: each handle as by {@link #ack}, with its own result.
   *
   * @param req the request
   * @return the answer with one result per handle
   * @throws Rejection when the whole call is refused
   */
  public AckBatchResponse ackBatch(AckBatchRequest req) {
    checkCaller(req.getConsumerGroup(), req.getClientId());
    int n = req.getReceiptHandlesCount();
    if (n < 1 || n > MAX_BATCH) {
      throw new Rejection(Code.BAD_REQUEST, n + " receipt handles: 1-" + MAX_BATCH + " per call");
    }
    AckBatchResponse.Builder b = AckBatchResponse.newBuilder().setStatus(Codes.ok());
    for (String handle : req.getReceiptHandlesList()) {
      try {
        ackOne(req.getConsumerGroup(), handle);
        b.addResults(Codes.ok());
      } catch (Rejection r) {
        b.addResults(r.status());
      }
    }
    return b.build();
  }

  private void ackOne(String group, String handle) {
    ReceiptHandle h = parse(group, handle);
    QueueKey key = new QueueKey(h.group(), h.topic(), h.queueId());
    long now = clock.millis();
    update(
        key,
        h,
        now,
        (q, f) -> {
          table.write(new PopRecord.Ack(key, f.offset(), f.seq()));
          q.remove(f.offset(), f.seq());
          return f;
        });
  }

  /**
   * Handles ChangeInvisibleDuration.
   *
   * @param req the request
   * @return the answer with the new handle
   * @throws Rejection with the code of a refused change
   */
  public ChangeInvisibleDurationResponse changeInvisibleDuration(
      ChangeInvisibleDurationRequest req) {
    checkCaller(req.getConsumerGroup(), req.getClientId());
    ReceiptHandle h = parse(req.getConsumerGroup(), req.getReceiptHandle());
    PopService.checkInvisible(req.getInvisibleDurationMs(), 0);
    QueueKey key = new QueueKey(h.group(), h.topic(), h.queueId());
    long now = clock.millis();
    InFlight changed =
        update(
            key,
            h,
            now,
            (q, f) -> {
              InFlight n =
                  f.redeliver(table.nextSeq(), now + req.getInvisibleDurationMs(), f.attempt());
              table.write(new PopRecord.Receive(key, q.nextOffset(), java.util.List.of(n)));
              q.put(n);
              return n;
            });
    ReceiptHandle next =
        new ReceiptHandle(
            brokerName,
            h.group(),
            h.topic(),
            h.queueId(),
            changed.offset(),
            changed.seq(),
            changed.invisibleUntilMs(),
            changed.attempt());
    return ChangeInvisibleDurationResponse.newBuilder()
        .setStatus(Codes.ok())
        .setReceiptHandle(next.encode())
        .setInvisibleUntilMs(changed.invisibleUntilMs())
        .build();
  }

  private void checkCaller(String group, String clientId) {
    Names.checkConsumerGroup(group);
    if (clientId.isEmpty()) {
      throw new Rejection(Code.BAD_REQUEST, "client_id is required");
    }
    if (!master) {
      throw new Rejection(Code.NOT_LEADER, "this broker is a replica: pop calls go to the master");
    }
  }

  private ReceiptHandle parse(String group, String handle) {
    if (handle.isEmpty()) {
      throw new Rejection(Code.INVALID_RECEIPT_HANDLE, "receipt_handle is required");
    }
    ReceiptHandle h = ReceiptHandle.parse(handle);
    if (!h.broker().equals(brokerName)) {
      throw new Rejection(
          Code.INVALID_RECEIPT_HANDLE,
          "receipt handle was issued by broker " + h.broker() + ", this is " + brokerName);
    }
    if (!h.group().equals(group)) {
      throw new Rejection(
          Code.INVALID_RECEIPT_HANDLE,
          "receipt handle was issued to group " + h.group() + ", not " + group);
    }
    return h;
  }

  /** A change of the current delivery a handle names. */
  private interface Change {
    InFlight apply(PopQueue q, InFlight current);
  }

  private InFlight update(QueueKey key, ReceiptHandle h, long now, Change change) {
    if (table.find(key) == null) {
      throw notFound(h);
    }
    return table.update(
        key,
        k -> 0,
        q -> {
          InFlight f = q.get(h.offset());
          if (f == null || f.seq() != h.seq()) {
            throw notFound(h);
          }
          if (f.expired(now) || q.isDeadLettering(f.offset())) {
            throw new Rejection(
                Code.RECEIPT_HANDLE_EXPIRED,
                "the invisible time of "
                    + h.topic()
                    + "/"
                    + h.queueId()
                    + " offset "
                    + h.offset()
                    + " ended at "
                    + f.invisibleUntilMs()
                    + " (now "
                    + now
                    + "): the message is visible to the group again");
          }
          return change.apply(q, f);
        });
  }

  private static Rejection notFound(ReceiptHandle h) {
    return new Rejection(
        Code.RECEIPT_HANDLE_NOT_FOUND,
        "no delivery "
            + h.seq()
            + " of "
            + h.topic()
            + "/"
            + h.queueId()
            + " offset "
            + h.offset()
            + " is in flight: acked already, dead-lettered, or received again under a newer handle");
  }
}
