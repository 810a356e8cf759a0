package io.edgemq.broker.retry;

import io.edgemq.protocol.v1.DeliveryFailure;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The failure history kept in a retry or dead-letter copy's {@code %sys.failures} property: one
 * line per failure, oldest first, {@code timestampMs<TAB>reconsumeTimes<TAB>clientId<TAB>reason}
 * with client id and reason URL-encoded (UTF-8). At most {@link #MAX_KEPT} failures are kept.
 */
public final class DeliveryFailures {
  /** Failures kept per message (the oldest go first). */
  public static final int MAX_KEPT = 16;

  /** Longest reason kept, in characters. */
  public static final int MAX_REASON = 256;

  private DeliveryFailures() {}

  /**
   * @param encoded the property value, or null
   * @return the failures; lines that do not parse are skipped
   */
  public static List<DeliveryFailure> decode(String encoded) {
    List<DeliveryFailure> out = new ArrayList<>();
    if (encoded == null || encoded.isEmpty()) {
      return out;
    }
    for (String line : encoded.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length != 4) {
        continue;
      }
      try {
        out.add(
            DeliveryFailure.newBuilder()
                .setTimestampMs(Long.parseLong(f[0]))
                .setReconsumeTimes(Integer.parseInt(f[1]))
                .setClientId(URLDecoder.decode(f[2], StandardCharsets.UTF_8))
                .setReason(URLDecoder.decode(f[3], StandardCharsets.UTF_8))
                .build());
      } catch (IllegalArgumentException skipped) {
        // a damaged line costs only itself
      }
    }
    return out;
  }

  /**
   * @param failures the failures, oldest first
   * @return the property value, with only the newest {@link #MAX_KEPT}
   */
  public static String encode(List<DeliveryFailure> failures) {
    StringBuilder sb = new StringBuilder();
    int from = Math.max(0, failures.size() - MAX_KEPT);
    for (DeliveryFailure f : failures.subList(from, failures.size())) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(f.getTimestampMs())
          .append('\t')
          .append(f.getReconsumeTimes())
          .append('\t')
          .append(URLEncoder.encode(f.getClientId(), StandardCharsets.UTF_8))
          .append('\t')
          .append(URLEncoder.encode(f.getReason(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /**
   * @param reason a consumer's reason
   * @return it cut to {@link #MAX_REASON} characters
   */
  public static String cut(String reason) {
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
  }
}
