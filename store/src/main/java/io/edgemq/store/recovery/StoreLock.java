package io.edgemq.store.recovery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An exclusive OS lock on {@code <store>/lock}, so two processes never open one store. */
public final class StoreLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock.
   *
   * @param storeDir the store directory
   * @return the held lock
   * @throws StoreLockedException when another process (or this one) holds it
   * @throws IOException when the lock file cannot be opened
   */
  public static StoreLock acquire(Path storeDir) throws IOException {
    Path file = storeDir.resolve("lock");
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      ch.close();
      throw new StoreLockedException("store " + storeDir + " is already open in this process");
    }
    if (l == null) {
      ch.close();
      throw new StoreLockedException("store " + storeDir + " is locked by another process");
    }
    return new StoreLock(ch, l);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }

  /** The store directory is in use. */
  public static final class StoreLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    StoreLockedException(String message) {
      super(message);
    }
  }
}
