package io.edgemq.store.commitlog;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** Encodes a socket address into the 20-byte host field: 16 address bytes and an int port. */
final class HostCodec {
  private static final byte[] UNKNOWN = new byte[RecordDescriptor.HOST_LENGTH];

  private HostCodec() {}

  static byte[] encode(InetSocketAddress host) {
    if (host == null || host.getAddress() == null) {
      return UNKNOWN;
    }
    byte[] addr = host.getAddress().getAddress();
    ByteBuffer b = ByteBuffer.allocate(RecordDescriptor.HOST_LENGTH);
    if (addr.length == 4) {
      b.position(10);
      b.put((byte) 0xff).put((byte) 0xff);
    }
    b.put(addr);
    b.putInt(host.getPort());
    return b.array();
  }

  static InetSocketAddress decode(ByteBuffer buf, int offset) {
    byte[] addr = new byte[16];
    buf.get(offset, addr);
    int port = buf.getInt(offset + 16);
    boolean zero = port == 0;
    for (byte x : addr) {
      zero &= x == 0;
    }
    if (zero) {
      return null;
    }
    try {
      // InetAddress turns an IPv4-mapped address back into an Inet4Address.
      return new InetSocketAddress(InetAddress.getByAddress(addr), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes is always a valid address", e);
    }
  }
}
