package io.edgemq.gateway.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A bare MQTT 3.1.1 client on a plain socket, for what client libraries will not do on request:
 * drop the TCP connection without DISCONNECT, stay silent past the keep-alive, or send the same QoS
 * 2 PUBLISH twice. Every packet is encoded here by hand, field by field.
 */
final class HandMqttClient implements AutoCloseable {
  static final int CONNACK = 2;
  static final int PUBLISH = 3;
  static final int PUBACK = 4;
  static final int PUBREC = 5;
  static final int PUBCOMP = 7;
  static final int SUBACK = 9;

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /** A will of a CONNECT. */
  record Will(String topic, byte[] payload, int qos, boolean retain) {}

  /** A packet read: its type (upper nibble of byte 1), flags (lower nibble) and the rest. */
  record Packet(int type, int flags, byte[] body) {
    /** The packet id of an acknowledgement, or of a QoS 1/2 PUBLISH given its topic length. */
    int idAt(int offset) {
      return ((body[offset] & 0xFF) << 8) | (body[offset + 1] & 0xFF);
    }

    int packetId() {
      return idAt(0);
    }

    /** Byte 2 of CONNACK: the return code. */
    int returnCode() {
      return body[1] & 0xFF;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private HandMqttClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static HandMqttClient open(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setTcpNoDelay(true);
    return new HandMqttClient(s);
  }

  /** Sends CONNECT and returns the CONNACK. */
  Packet connect(String clientId, boolean cleanSession, int keepAliveSeconds, Will will)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    string(b, "MQTT"); // protocol name
    b.write(4); // protocol level 4: MQTT 3.1.1
    int flags = cleanSession ? 0x02 : 0;
    if (will != null) {
      flags |= 0x04 | will.qos() << 3 | (will.retain() ? 0x20 : 0);
    }
    b.write(flags); // connect flags
    b.write(keepAliveSeconds >> 8); // keep alive MSB
    b.write(keepAliveSeconds); // keep alive LSB
    string(b, clientId); // payload: client identifier
    if (will != null) {
      string(b, will.topic()); // will topic
      binary(b, will.payload()); // will message
    }
    send(0x10, b.toByteArray());
    return expect(CONNACK);
  }

  /** Sends a PUBLISH; packetId is ignored at QoS 0. */
  void publish(int qos, boolean dup, int packetId, String topic, byte[] payload)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    string(b, topic); // topic name
    if (qos > 0) {
      id(b, packetId); // packet identifier
    }
    b.write(payload); // payload, up to the remaining length
    send(0x30 | (dup ? 0x08 : 0) | qos << 1, b.toByteArray());
  }

  void subscribe(int packetId, String filter, int qos) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    id(b, packetId); // packet identifier
    string(b, filter); // topic filter
    b.write(qos); // requested QoS
    send(0x82, b.toByteArray()); // SUBSCRIBE with the reserved flags 0010
  }

  void pubRel(int packetId) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    id(b, packetId);
    send(0x62, b.toByteArray()); // PUBREL with the reserved flags 0010
  }

  /**
   * Reads the next packet.
   *
   * @return the packet, or null when the server closed the connection
   * @throws SocketTimeoutException when nothing came within the timeout
   */
  Packet read(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
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
    int shift = 0;
    int digit;
    do {
      digit = in.readUnsignedByte(); // remaining length: 7 bits a byte, least significant first
      length |= (digit & 0x7F) << shift;
      shift += 7;
    } while ((digit & 0x80) != 0);
    byte[] body = new byte[length];
    in.readFully(body);
    return new Packet(first >> 4, first & 0x0F, body);
  }

  Packet expect(int type) throws IOException {
    Packet p = read(READ_TIMEOUT);
    if (p == null) {
      throw new EOFException("connection closed while waiting for packet type " + type);
    }
    assertThat(p.type()).as("packet type").isEqualTo(type);
    return p;
  }

  /**
   * Reads (and drops) packets until the server closes the connection.
   *
   * @return true if it closed within the timeout
   */
  boolean awaitClosedByServer(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
      if (left <= 0) {
        return false;
      }
      try {
        if (read(Duration.ofMillis(left)) == null) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (EOFException e) {
        return true;
      }
    }
  }

  /** Drops the TCP connection without DISCONNECT. */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void send(int firstByte, byte[] rest) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(firstByte);
    int len = rest.length;
    do {
      int digit = len & 0x7F;
      len >>>= 7;
      b.write(len > 0 ? digit | 0x80 : digit);
    } while (len > 0);
    b.write(rest);
    out.write(b.toByteArray());
    out.flush();
  }

  private static void string(ByteArrayOutputStream b, String s) {
    binary(b, s.getBytes(UTF_8));
  }

  private static void binary(ByteArrayOutputStream b, byte[] v) {
    id(b, v.length);
    b.write(v, 0, v.length);
  }

  private static void id(ByteArrayOutputStream b, int v) {
    b.write(v >> 8);
    b.write(v);
  }
}
