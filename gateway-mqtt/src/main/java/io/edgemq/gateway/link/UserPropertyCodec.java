package io.edgemq.gateway.link;

import io.edgemq.gateway.link.MqttEnvelope.UserProperty;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of {@code mqtt.user-properties}: the MQTT 5 user properties in order, duplicates kept,
 * as {@code name=value} pairs joined by {@code &}. Names and values are percent-encoded UTF-8:
 * {@code A-Z a-z 0-9 - . _ ~} stay as they are, every other byte becomes {@code %HH} (upper-case
 * hex). So {@code =}, {@code &}, {@code %}, spaces and {@code +} never appear unescaped (a decoder
 * that reads {@code +} as a space sees no difference), and decoding accepts nothing else. One pair
 * with an empty name and value is {@code =}; an empty list is not written at all.
 */
final class UserPropertyCodec {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UserPropertyCodec() {}

  static String encode(List<UserProperty> properties) {
    StringBuilder sb = new StringBuilder();
    for (UserProperty p : properties) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      escape(p.name(), sb);
      sb.append('=');
      escape(p.value(), sb);
    }
    return sb.toString();
  }

  /**
   * @param encoded a value written by {@link #encode}
   * @return the properties
   * @throws IllegalArgumentException when the value is not in this encoding
   */
  static List<UserProperty> decode(String encoded) {
    List<UserProperty> out = new ArrayList<>();
    if (encoded.isEmpty()) {
      return out;
    }
    int start = 0;
    while (start <= encoded.length()) {
      int end = encoded.indexOf('&', start);
      if (end < 0) {
        end = encoded.length();
      }
      int eq = encoded.indexOf('=', start);
      if (eq < 0 || eq > end) {
        throw new IllegalArgumentException("pair without '=' at " + start);
      }
      out.add(new UserProperty(unescape(encoded, start, eq), unescape(encoded, eq + 1, end)));
      start = end + 1;
    }
    return out;
  }

  private static void escape(String s, StringBuilder sb) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (unreserved(c)) {
        sb.append(c);
      } else {
        sb.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
    }
  }

  private static boolean unreserved(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static String unescape(String s, int from, int to) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= to) {
          throw new IllegalArgumentException("truncated escape at " + i);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad escape at " + i);
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (unreserved(c)) {
        bytes.write(c);
      } else {
        throw new IllegalArgumentException("unescaped '" + c + "' at " + i);
      }
    }
    try {
      // strict: a malformed sequence is an error, not a silent U+FFFD
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not UTF-8 between " + from + " and " + to, e);
    }
  }
}
