package io.edgemq.sim.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** How a payload is laid out: JSON text or a compact binary record. */
public enum PayloadFormat {
  JSON,
  BINARY;

  /**
   * Builds one payload: the envelope, the model's next reading, then padding up to {@code size}
   * bytes (a payload already larger is not cut).
   *
   * @param envelope identity of the message
   * @param model the device's sensor state
   * @param size target size in bytes, 0 for no padding
   * @return the payload
   */
  public byte[] encode(Envelope envelope, PayloadModel model, int size) {
    return this == JSON ? json(envelope, model, size) : binary(envelope, model, size);
  }

  private static byte[] json(Envelope envelope, PayloadModel model, int size) {
    StringBuilder b = new StringBuilder(Math.max(96, size));
    envelope.writeJsonHead(b);
    model.next(new JsonFields(b));
    // room for ,"pad":"" and the closing brace
    int pad = size - b.length() - 10;
    if (pad > 0) {
      b.append(",\"pad\":\"");
      for (int i = 0; i < pad; i++) {
        b.append((char) ('a' + i % 26));
      }
      b.append('"');
    }
    b.append('}');
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] binary(Envelope envelope, PayloadModel model, int size) {
    ByteBuffer b = ByteBuffer.allocate(envelope.binaryHeaderSize() + 256);
    envelope.writeBinaryHead(b);
    model.next(new BinaryFields(b));
    byte[] out = Arrays.copyOf(b.array(), Math.max(b.position(), size));
    return out;
  }

  private static final class JsonFields implements FieldWriter {
    private final StringBuilder b;

    JsonFields(StringBuilder b) {
      this.b = b;
    }

    @Override
    public void number(String name, double value) {
      b.append(",\"").append(name).append("\":").append(value);
    }

    @Override
    public void integer(String name, long value) {
      b.append(",\"").append(name).append("\":").append(value);
    }

    @Override
    public void text(String name, String value) {
      b.append(",\"").append(name).append("\":\"").append(value).append('"');
    }
  }

  /** Values only, in the model's order; text as a length byte and ASCII. */
  private static final class BinaryFields implements FieldWriter {
    private final ByteBuffer b;

    BinaryFields(ByteBuffer b) {
      this.b = b;
    }

    @Override
    public void number(String name, double value) {
      b.putDouble(value);
    }

    @Override
    public void integer(String name, long value) {
      b.putLong(value);
    }

    @Override
    public void text(String name, String value) {
      byte[] t = value.getBytes(StandardCharsets.US_ASCII);
      b.put((byte) t.length).put(t);
    }
  }
}
