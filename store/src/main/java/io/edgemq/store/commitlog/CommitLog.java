package io.edgemq.store.commitlog;

import static io.edgemq.store.commitlog.RecordDescriptor.BLANK_MIN_LENGTH;

import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.AppendStatus;
import io.edgemq.store.api.BatchAppendResult;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageId;
import io.edgemq.store.api.ReadResult;
import io.edgemq.store.api.ReadStatus;
import io.edgemq.store.api.StoreConfig;
import io.edgemq.store.file.MappedFile;
import io.edgemq.store.file.SegmentedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only log every message goes into first. Writers encode on their own thread, then hold
 * the append lock only to assign offsets, seal the checksum and copy into the mapped segment.
 */
public final class CommitLog {
  private final StoreConfig config;
  private final Clock clock;
  private final SegmentedFile segments;
  private final ReentrantLock appendLock = new ReentrantLock();
  private final QueueOffsets queueOffsets = new QueueOffsets();
  private final ThreadLocal<RecordEncoder> encoders;
  private final MessageId.Generator ids;
  private final Runnable onWritten;
  private Flusher flusher;
  private StagingBuffer staging;
  private volatile long writtenOffset;
  private volatile boolean diskFull;
  private volatile boolean closed;

  /**
   * Creates the log over loaded segments; call {@link #start(long)} after recovery.
   *
   * @param config the store config
   * @param clock the clock for store timestamps
   * @param segments the loaded segments
   * @param onWritten called after each append (and after each SYNC flush), to wake the dispatcher
   */
  public CommitLog(StoreConfig config, Clock clock, SegmentedFile segments, Runnable onWritten) {
    this.config = config;
    this.clock = clock;
    this.segments = segments;
    this.onWritten = onWritten;
    this.ids = new MessageId.Generator(clock.millis());
    this.encoders =
        ThreadLocal.withInitial(
            () -> new RecordEncoder(config.maxMessageBytes(), config.storeHost()));
  }

  /**
   * Starts appending at the recovered end and starts the flusher.
   *
   * @param end the recovered end of the log; everything below it is on disk
   */
  public void start(long end) {
    this.writtenOffset = end;
    segments.prepareFor(end);
    Flusher[] ref = new Flusher[1];
    staging = new StagingBuffer(segments, config.stagingBufferBytes(), end, () -> ref[0].wake());
    if (config.flushMode() == FlushMode.SYNC) {
      GroupCommitFlusher sync =
          new GroupCommitFlusher(
              segments,
              () -> writtenOffset,
              staging::commit,
              onWritten,
              config.syncFlushTimeout().toMillis(),
              end);
      ref[0] = sync;
    } else {
      ref[0] =
          new AsyncFlusher(
              segments,
              staging,
              () -> writtenOffset,
              onWritten,
              config.flushInterval().toMillis(),
              end);
    }
    flusher = ref[0];
    flusher.start();
  }

  /** The largest single write: one record or one batch, body limit plus header room. */
  static int maxWriteBytes(StoreConfig config) {
    return config.maxMessageBytes() + StoreConfig.MAX_HEADER_BYTES;
  }

  /**
   * @return the segments
   */
  public SegmentedFile segments() {
    return segments;
  }

  /**
   * @return the offset just past the last written record
   */
  public long writtenOffset() {
    return writtenOffset;
  }

  /**
   * @return the offset below which everything is forced to disk
   */
  public long flushedOffset() {
    return flusher.flushedOffset();
  }

  /**
   * How far consume queues may be built: under SYNC only what is forced, so a consumer never sees a
   * message that a power loss could take back; under ASYNC everything written to the files.
   *
   * @return the offset
   */
  public long dispatchableOffset() {
    return config.flushMode() == FlushMode.SYNC
        ? flusher.flushedOffset()
        : staging.committedOffset();
  }

  /**
   * @return the first offset still on disk
   */
  public long minOffset() {
    long min = segments.minOffset();
    return min < 0 ? writtenOffset : min;
  }

  /**
   * Sets a queue's next offset; used by recovery before appends start.
   *
   * @param topic the topic
   * @param queueId the queue id
   * @param next the next offset
   */
  public void setNextQueueOffset(String topic, int queueId, long next) {
    appendLock.lock();
    try {
      queueOffsets.set(topic, queueId, next);
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * @param full whether the disk is above the refuse-writes ratio
   */
  public void setDiskFull(boolean full) {
    this.diskFull = full;
  }

  /**
   * @return whether appends are refused for disk space
   */
  public boolean isDiskFull() {
    return diskFull;
  }

  /** Fails waiting SYNC appends whose force is late. */
  public void expireFlushWaiters() {
    flusher.expire(System.nanoTime());
  }

  /**
   * Appends one message.
   *
   * @param m the message
   * @return completes when stored as the flush mode says; never exceptionally
   */
  public CompletableFuture<AppendResult> append(Message m) {
    RecordEncoder enc = encoders.get();
    AppendResult refused = refuse(enc, m);
    if (refused != null) {
      return CompletableFuture.completedFuture(refused);
    }
    MessageId id = m.messageId() != null ? m.messageId() : ids.next();
    enc.reset();
    enc.encode(m, id);
    AppendResult[] out = new AppendResult[1];
    AppendResult failure = write(enc, m.topic(), m.queueId(), new MessageId[] {id}, out);
    if (failure != null) {
      return CompletableFuture.completedFuture(failure);
    }
    flusher.written();
    AppendResult r = out[0];
    if (config.flushMode() == FlushMode.ASYNC) {
      return CompletableFuture.completedFuture(r);
    }
    return flusher
        .awaitFlushed(r.physicalOffset() + r.storeSize())
        .handle((v, e) -> e == null ? r : r.withStatus(flushFailure(e), String.valueOf(e)));
  }

  /**
   * Appends messages of one topic and queue as one unit: all or nothing, contiguous, one flush.
   *
   * @param batch the messages, at least one
   * @return completes when stored as the flush mode says; never exceptionally
   */
  public CompletableFuture<BatchAppendResult> appendBatch(List<Message> batch) {
    if (batch.isEmpty()) {
      return batchFailed(AppendStatus.MESSAGE_INVALID, "empty batch");
    }
    RecordEncoder enc = encoders.get();
    Message first = batch.get(0);
    long bodies = 0;
    for (Message m : batch) {
      AppendResult refused = refuse(enc, m);
      if (refused != null) {
        return batchFailed(refused.status(), refused.reason());
      }
      if (!m.topic().equals(first.topic()) || m.queueId() != first.queueId()) {
        return batchFailed(AppendStatus.MESSAGE_INVALID, "a batch must share topic and queue");
      }
      bodies += m.bodyLength();
    }
    if (bodies > config.maxMessageBytes()) {
      return batchFailed(
          AppendStatus.MESSAGE_TOO_LARGE,
          "batch bodies total " + bodies + " bytes, over maxMessageBytes");
    }
    enc.reset();
    MessageId[] idsOut = new MessageId[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      Message m = batch.get(i);
      idsOut[i] = m.messageId() != null ? m.messageId() : ids.next();
      enc.encode(m, idsOut[i]);
    }
    AppendResult[] out = new AppendResult[batch.size()];
    AppendResult failure = write(enc, first.topic(), first.queueId(), idsOut, out);
    if (failure != null) {
      return batchFailed(failure.status(), failure.reason());
    }
    flusher.written();
    BatchAppendResult ok = new BatchAppendResult(AppendStatus.OK, List.of(out), "");
    if (config.flushMode() == FlushMode.ASYNC) {
      return CompletableFuture.completedFuture(ok);
    }
    AppendResult last = out[out.length - 1];
    return flusher
        .awaitFlushed(last.physicalOffset() + last.storeSize())
        .handle(
            (v, e) ->
                e == null
                    ? ok
                    : new BatchAppendResult(flushFailure(e), ok.results(), String.valueOf(e)));
  }

  private AppendResult refuse(RecordEncoder enc, Message m) {
    if (closed) {
      return AppendResult.failed(AppendStatus.STORE_CLOSED, "store is closed");
    }
    if (diskFull) {
      return AppendResult.failed(AppendStatus.DISK_FULL, "disk usage above diskRefuseWritesRatio");
    }
    return enc.validate(m);
  }

  private static CompletableFuture<BatchAppendResult> batchFailed(AppendStatus s, String why) {
    return CompletableFuture.completedFuture(new BatchAppendResult(s, List.of(), why));
  }

  private static AppendStatus flushFailure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof Flusher.FlushTimeout
        ? AppendStatus.FLUSH_TIMEOUT
        : AppendStatus.IO_ERROR;
  }

  /** Copies the encoded records into the log; returns a failure, or null with out filled. */
  private AppendResult write(
      RecordEncoder enc, String topic, int queueId, MessageId[] idsIn, AppendResult[] out) {
    int length = enc.length();
    if (length > maxWriteBytes(config)) {
      return AppendResult.failed(
          AppendStatus.MESSAGE_TOO_LARGE,
          "encoded size " + length + " exceeds maxMessageBytes plus header room");
    }
    appendLock.lock();
    try {
      long phys = writtenOffset;
      MappedFile seg = segments.findOrCreate(phys);
      int pos = (int) (phys - seg.baseOffset());
      if (pos + length + BLANK_MIN_LENGTH > seg.size()) {
        // Create the next segment before touching this one, so a full disk leaves no trace.
        MappedFile next = segments.findOrCreate(seg.endOffset());
        writeBlank(seg, pos);
        seg = next;
        pos = 0;
        phys = next.baseOffset();
      }
      long now = clock.millis();
      long queueOffset = queueOffsets.reserve(topic, queueId, idsIn.length);
      int start = 0;
      for (int i = 0; i < idsIn.length; i++) {
        int size = enc.seal(start, queueOffset + i, phys + start, now);
        out[i] =
            new AppendResult(
                AppendStatus.OK, idsIn[i], phys + start, queueOffset + i, size, now, "");
        start += size;
      }
      try {
        staging.put(phys, enc.array(), 0, length);
      } catch (UncheckedIOException e) {
        queueOffsets.reserve(topic, queueId, -idsIn.length); // nothing was appended
        return AppendResult.failed(AppendStatus.IO_ERROR, "write failed: " + e.getCause());
      }
      writtenOffset = phys + length;
      return null;
    } catch (UncheckedIOException e) {
      return AppendResult.failed(AppendStatus.IO_ERROR, "write failed: " + e.getCause());
    } catch (IOException e) {
      boolean full = String.valueOf(e.getMessage()).contains("No space left");
      return AppendResult.failed(
          full ? AppendStatus.DISK_FULL : AppendStatus.IO_ERROR, "cannot create segment: " + e);
    } finally {
      appendLock.unlock();
    }
  }

  private void writeBlank(MappedFile seg, int pos) {
    staging.putBlank(seg.baseOffset() + pos, seg.size() - pos);
  }

  /** Below this offset records are in the files; staged records above it are not yet. */
  private long readableOffset() {
    return staging.committedOffset();
  }

  /**
   * Reads and checks the record at a physical offset.
   *
   * @param offset a record's physical offset
   * @return the message, or why not
   */
  public ReadResult read(long offset) {
    if (offset < minOffset() && offset >= 0) {
      return ReadResult.failed(ReadStatus.GONE, "offset " + offset + " was deleted by retention");
    }
    if (offset < 0 || offset >= readableOffset()) {
      return ReadResult.failed(ReadStatus.NOT_FOUND, "no record at offset " + offset);
    }
    MappedFile seg = segments.find(offset);
    if (seg == null || !seg.acquire()) {
      return ReadResult.failed(ReadStatus.GONE, "offset " + offset + " was deleted by retention");
    }
    byte[] copy;
    try {
      int pos = (int) (offset - seg.baseOffset());
      ByteBuffer view = seg.view();
      int size = view.getInt(pos);
      if (size < RecordDescriptor.FIXED_LENGTH || size > seg.size() - pos) {
        return corrupted(offset, "bad total size " + size);
      }
      copy = new byte[size];
      seg.read(pos, copy, 0, size);
    } finally {
      seg.release();
    }
    return decodeCopy(offset, copy);
  }

  private ReadResult decodeCopy(long offset, byte[] copy) {
    ByteBuffer buf = ByteBuffer.wrap(copy);
    int magic = buf.getInt(RecordDescriptor.MAGIC_OFFSET);
    if (magic != RecordDescriptor.MESSAGE_MAGIC) {
      return corrupted(offset, String.format("bad magic 0x%08x", magic));
    }
    if (config.verifyChecksumOnRead()
        && buf.getInt(RecordDescriptor.CRC_OFFSET) != RecordDecoder.crc(buf, 0, copy.length)) {
      return corrupted(offset, "CRC32C mismatch");
    }
    try {
      return ReadResult.found(RecordDecoder.decode(buf, 0));
    } catch (RuntimeException e) {
      return corrupted(offset, "malformed record: " + e.getMessage());
    }
  }

  private static ReadResult corrupted(long offset, String why) {
    return ReadResult.failed(ReadStatus.CORRUPTED, "record at offset " + offset + ": " + why);
  }

  /**
   * Stops appends and forces everything written. Idempotent.
   *
   * @return the final end offset
   */
  public long shutdown() {
    closed = true;
    appendLock.lock();
    appendLock.unlock(); // wait for the last writer to leave
    if (flusher != null) {
      flusher.shutdown();
    }
    return writtenOffset;
  }
}
