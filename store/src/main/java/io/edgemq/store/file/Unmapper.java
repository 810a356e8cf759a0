package io.edgemq.store.file;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees a mapping now rather than at some later GC, so deleted files give their disk space back at
 * once. Uses {@code sun.misc.Unsafe.invokeCleaner}, looked up reflectively because it is not public
 * API; without it, mappings are left to the garbage collector, which is still correct. The caller
 * guarantees no thread touches the buffer afterwards (reference counting).
 */
public final class Unmapper {
  private static final Logger LOG = LoggerFactory.getLogger(Unmapper.class);
  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    Method invokeCleaner = null;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe = f.get(null);
      invokeCleaner = c.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot unmap files explicitly, leaving it to the GC: {}", e.toString());
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = invokeCleaner;
  }

  private Unmapper() {}

  /**
   * Unmaps a buffer.
   *
   * @param buffer the mapping; must not be used afterwards
   */
  public static void unmap(MappedByteBuffer buffer) {
    if (INVOKE_CLEANER == null) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, buffer);
    } catch (ReflectiveOperationException e) {
      LOG.warn("unmap failed, leaving it to the GC: {}", e.toString());
    }
  }
}
