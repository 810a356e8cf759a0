package io.edgemq.sim.scenario;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands a fleet's client id pattern such as {@code dev-{index:05}}. */
public final class DeviceIds {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(index|fleet)(?::(\\d{1,2}))?}");
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.:-]*");

  private DeviceIds() {}

  static void check(String pattern) {
    String rest = PLACEHOLDER.matcher(pattern).replaceAll("");
    if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "idPattern '" + pattern + "': only {index}, {index:N} and {fleet} are placeholders");
    }
    if (!ALLOWED.matcher(rest).matches()) {
      throw new IllegalArgumentException(
          "idPattern '" + pattern + "': ids may hold only [A-Za-z0-9_.:-]");
    }
    if (!pattern.contains("{index")) {
      throw new IllegalArgumentException(
          "idPattern '" + pattern + "' needs {index}, or every device would share one id");
    }
  }

  /**
   * The id of device {@code index} of a fleet.
   *
   * @param pattern a checked pattern
   * @param fleet the fleet name
   * @param index the device number from 0
   * @return the client id
   */
  public static String expand(String pattern, String fleet, int index) {
    Matcher m = PLACEHOLDER.matcher(pattern);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v;
      if (m.group(1).equals("fleet")) {
        v = fleet;
      } else if (m.group(2) != null) {
        v = String.format("%0" + Integer.parseInt(m.group(2)) + "d", index);
      } else {
        v = Integer.toString(index);
      }
      m.appendReplacement(b, Matcher.quoteReplacement(v));
    }
    m.appendTail(b);
    return b.toString();
  }
}
