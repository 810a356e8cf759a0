package io.edgemq.gateway.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bytes of a {@link SessionState} as stored in the session topic (big-endian; strings are an
 * int length and UTF-8 bytes). See docs/gateway-mqtt.md, "Persistent sessions".
 *
 * <pre>
 * magic 'E' 'S', format 2 (bytes)
 * clientId, incarnation (long), ended (byte), expiryMillis (long), lastSeenMillis (long),
 *   createdAtMillis (long; absent in format 1, read as 0)
 * subscriptions: count, then filter, shareGroup ("" = none), qos, flags (byte: 1 noLocal,
 *   2 retainAsPublished), retainHandling (byte), subscriptionId (int)
 * checkpoints: count, then topic, broker, queueId (int), offset (long)
 * inflight: count, then packetId (int), topic, broker, queueId, offset, released (byte)
 * awaitingRelease: count, then packetId (int)
 * </pre>
 */
public final class SessionCodec {
  private static final int MAGIC = ('E' << 8) | 'S';
  private static final int FORMAT = 2;
  private static final int MAX_COUNT = 1 << 20;

  private SessionCodec() {}

  /**
   * @param s a session record
   * @return its bytes
   */
  public static byte[] encode(SessionState s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeShort(MAGIC);
      out.writeByte(FORMAT);
      string(out, s.clientId());
      out.writeLong(s.incarnation());
      out.writeBoolean(s.ended());
      out.writeLong(s.expiryMillis());
      out.writeLong(s.lastSeenMillis());
      out.writeLong(s.createdAtMillis());
      out.writeInt(s.subscriptions().size());
      for (Subscription sub : s.subscriptions()) {
        string(out, sub.filter());
        string(out, sub.shareGroup() == null ? "" : sub.shareGroup());
        out.writeByte(sub.qos());
        out.writeByte((sub.noLocal() ? 1 : 0) | (sub.retainAsPublished() ? 2 : 0));
        out.writeByte(sub.retainHandling());
        out.writeInt(sub.subscriptionId());
      }
      out.writeInt(s.checkpoints().size());
      for (Map.Entry<QueueRef, Long> e : s.checkpoints().entrySet()) {
        queue(out, e.getKey());
        out.writeLong(e.getValue());
      }
      out.writeInt(s.inflight().size());
      for (SessionState.Inflight f : s.inflight()) {
        out.writeInt(f.packetId());
        queue(out, f.queue());
        out.writeLong(f.offset());
        out.writeBoolean(f.released());
      }
      out.writeInt(s.awaitingRelease().size());
      for (int id : s.awaitingRelease()) {
        out.writeInt(id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * @param b bytes written by {@link #encode}
   * @return the record
   * @throws IllegalArgumentException when the bytes are not a session record of a known format
   */
  public static SessionState decode(byte[] b) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      if (in.readUnsignedShort() != MAGIC) {
        throw new IllegalArgumentException("not a session record (bad magic)");
      }
      int format = in.readUnsignedByte();
      if (format != FORMAT && format != 1) {
        throw new IllegalArgumentException("session record format " + format + " is unknown");
      }
      String clientId = string(in);
      long incarnation = in.readLong();
      boolean ended = in.readBoolean();
      long expiry = in.readLong();
      long lastSeen = in.readLong();
      long createdAt = format >= 2 ? in.readLong() : 0;
      List<Subscription> subs = new ArrayList<>();
      for (int i = count(in); i > 0; i--) {
        String filter = string(in);
        String share = string(in);
        int qos = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int handling = in.readUnsignedByte();
        int subId = in.readInt();
        subs.add(
            new Subscription(
                clientId,
                filter,
                share.isEmpty() ? null : share,
                qos,
                (flags & 1) != 0,
                (flags & 2) != 0,
                handling,
                subId));
      }
      Map<QueueRef, Long> checkpoints = new HashMap<>();
      for (int i = count(in); i > 0; i--) {
        checkpoints.put(queue(in), in.readLong());
      }
      List<SessionState.Inflight> inflight = new ArrayList<>();
      for (int i = count(in); i > 0; i--) {
        int packetId = in.readInt();
        inflight.add(
            new SessionState.Inflight(packetId, queue(in), in.readLong(), in.readBoolean()));
      }
      Set<Integer> awaiting = new HashSet<>();
      for (int i = count(in); i > 0; i--) {
        awaiting.add(in.readInt());
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("session record has " + in.available() + " extra bytes");
      }
      return new SessionState(
          clientId,
          incarnation,
          ended,
          expiry,
          lastSeen,
          createdAt,
          subs,
          checkpoints,
          inflight,
          awaiting);
    } catch (EOFException e) {
      throw new IllegalArgumentException("session record is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void queue(DataOutputStream out, QueueRef q) throws IOException {
    string(out, q.topic());
    string(out, q.broker());
    out.writeInt(q.queueId());
  }

  private static QueueRef queue(DataInputStream in) throws IOException {
    try {
      return new QueueRef(string(in), string(in), in.readInt());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("session record has a bad queue: " + e.getMessage());
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String string(DataInputStream in) throws IOException {
    int n = count(in);
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_COUNT) {
      throw new IllegalArgumentException("session record has a bad length " + n);
    }
    return n;
  }
}
