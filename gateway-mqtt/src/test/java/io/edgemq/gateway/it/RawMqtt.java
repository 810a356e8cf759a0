package io.edgemq.gateway.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A raw socket MQTT peer that writes hand-made bytes, well-formed or not, and reads what the
 * gateway answers packet by packet.
 */
final class RawMqtt implements AutoCloseable {
  static final int CONNACK = 2;
  static final int PUBLISH = 3;
  static final int PUBACK = 4;
  static final int SUBACK = 9;
  static final int PINGRESP = 13;
  static final int DISCONNECT = 14;
  static final Duration WAIT = Duration.ofSeconds(10);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawMqtt(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** A packet read from the gateway: type (upper nibble), flags (lower nibble) and the rest. */
  record Packet(int type, int flags, byte[] body) {
    /** CONNACK: the return code (3.1.1) or reason code (5). */
    int connackCode() {
      return body.length > 1 ? body[1] & 0xFF : -1;
    }

    /** DISCONNECT: the reason code (absent means 0x00). */
    int disconnectReason() {
      return body.length > 0 ? body[0] & 0xFF : 0;
    }

    /** PUBACK: the reason code (absent means 0x00). */
    int pubackReason() {
      return body.length > 2 ? body[2] & 0xFF : 0;
    }

    @Override
    public String toString() {
      return "Packet[type="
          + type
          + ", flags="
          + flags
          + ", body="
          + HexFormat.of().formatHex(body)
          + "]";
    }
  }

  static RawMqtt open(int port) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return new RawMqtt(s);
  }

  /** Connects with MQTT 5 (clean start, keep-alive 60 s) and checks the CONNACK. */
  static RawMqtt connected5(int port, String clientId) throws IOException {
    RawMqtt c = open(port);
    c.write(connect(5, clientId, 60, new byte[0]));
    Packet ack = c.read();
    if (ack.connackCode() != 0) {
      c.close();
      throw new AssertionError(clientId + " was refused: " + ack);
    }
    return c;
  }

  /** Connects with MQTT 3.1.1 (clean session, keep-alive 60 s) and checks the CONNACK. */
  static RawMqtt connected311(int port, String clientId) throws IOException {
    RawMqtt c = open(port);
    c.write(connect(4, clientId, 60, null));
    Packet ack = c.read();
    if (ack.connackCode() != 0) {
      c.close();
      throw new AssertionError(clientId + " was refused: " + ack);
    }
    return c;
  }

  /** Writes the parts in one go. */
  void write(byte[]... parts) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    out.write(b.toByteArray());
    out.flush();
  }

  /** Reads the next packet; fails if the server closes the connection instead. */
  Packet read() throws IOException {
    Packet p = read(WAIT);
    if (p == null) {
      throw new AssertionError("the server closed the connection instead of sending a packet");
    }
    return p;
  }

  /**
   * Reads the next packet.
   *
   * @return the packet, or null when the server closed the connection
   * @throws SocketTimeoutException when nothing arrived in time
   */
  Packet read(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    int first;
    try {
      first = in.read();
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      return null; // reset by the server
    }
    if (first < 0) {
      return null;
    }
    int length = 0;
    int count = 0;
    int shift = 0;
    while (true) {
      int digit = in.read();
      if (digit < 0 || count == 4) {
        throw new IOException("bad remaining length from the server");
      }
      length |= (digit & 0x7F) << shift;
      if ((digit & 0x80) == 0) {
        break;
      }
      count++;
      shift += 7;
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new IOException("the server closed the connection in the middle of a packet");
    }
    return new Packet(first >> 4, first & 0x0F, body);
  }

  /** Every packet until the server closes the connection; fails if it stays open too long. */
  List<Packet> packetsUntilClosed(Duration timeout) throws IOException {
    List<Packet> seen = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("not closed within " + timeout + "; packets: " + seen);
      }
      Packet p;
      try {
        p = read(Duration.ofNanos(left));
      } catch (SocketTimeoutException e) {
        throw new AssertionError("not closed within " + timeout + "; packets: " + seen);
      }
      if (p == null) {
        return seen;
      }
      seen.add(p);
    }
  }

  List<Packet> packetsUntilClosed() throws IOException {
    return packetsUntilClosed(WAIT);
  }

  /** Whether nothing arrives (and the connection stays open) for the duration. */
  boolean quietFor(Duration d) throws IOException {
    try {
      read(d);
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  // ---- encoding ----

  /** A packet: the first byte, the remaining length, the rest. */
  static byte[] packet(int firstByte, byte[] rest) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(firstByte);
    b.writeBytes(varInt(rest.length));
    b.writeBytes(rest);
    return b.toByteArray();
  }

  /** A variable byte integer: 7 bits a byte, least significant first. */
  static byte[] varInt(int v) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    do {
      int digit = v & 0x7F;
      v >>>= 7;
      b.write(v > 0 ? digit | 0x80 : digit);
    } while (v > 0);
    return b.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  /** A two-byte integer, most significant byte first. */
  static byte[] u16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  /** A UTF-8 string with its two-byte length. */
  static byte[] str(String s) {
    byte[] v = s.getBytes(UTF_8);
    return concat(u16(v.length), v);
  }

  /** MQTT 5 properties: their length, then the property bytes. */
  static byte[] props(byte[]... properties) {
    byte[] all = concat(properties);
    return concat(varInt(all.length), all);
  }

  /** The Topic Alias property (0x23). */
  static byte[] topicAlias(int alias) {
    return concat(new byte[] {0x23}, u16(alias));
  }

  /**
   * CONNECT with clean start.
   *
   * @param level the protocol level (4: 3.1.1, 5: 5)
   * @param props the property bytes (MQTT 5), or null for no properties field
   */
  static byte[] connect(int level, String clientId, int keepAlive, byte[] props) {
    return packet(
        0x10,
        concat(
            str("MQTT"), // protocol name
            new byte[] {(byte) level, 0x02}, // protocol level, connect flags: clean start
            u16(keepAlive), // keep alive
            props == null ? new byte[0] : props(props), // properties
            str(clientId))); // payload: client identifier
  }

  /**
   * PUBLISH.
   *
   * @param v5 whether to write a properties field
   * @param topic the topic name bytes (any bytes, for malformed names)
   * @param props the property bytes (MQTT 5), or null
   */
  static byte[] publish(
      boolean v5, int qos, byte[] topic, int packetId, byte[] props, byte[] payload) {
    return packet(
        0x30 | qos << 1,
        concat(
            u16(topic.length),
            topic, // topic name
            qos > 0 ? u16(packetId) : new byte[0], // packet identifier
            v5 ? props(props == null ? new byte[0] : props) : new byte[0], // properties
            payload));
  }

  /** An MQTT 5 PUBLISH. */
  static byte[] publish5(int qos, String topic, int packetId, byte[] props, byte[] payload) {
    return publish(true, qos, topic.getBytes(UTF_8), packetId, props, payload);
  }

  /**
   * SUBSCRIBE of one filter at QoS 1.
   *
   * @param firstByte the fixed header's first byte (0x82 when well-formed)
   * @param v5 whether to write a properties field
   */
  static byte[] subscribe(int firstByte, boolean v5, int packetId, String filter) {
    return packet(
        firstByte,
        concat(
            u16(packetId), // packet identifier
            v5 ? props() : new byte[0], // properties
            str(filter), // topic filter
            new byte[] {0x01})); // subscription options: QoS 1
  }

  static byte[] pingreq() {
    return packet(0xC0, new byte[0]);
  }
}
