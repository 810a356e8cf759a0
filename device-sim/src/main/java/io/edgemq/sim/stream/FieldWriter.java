package io.edgemq.sim.stream;

/** Where a payload model writes its readings, in JSON or binary. */
public interface FieldWriter {
  /**
   * Writes a decimal reading.
   *
   * @param name field name (JSON only)
   * @param value the value
   */
  void number(String name, double value);

  /**
   * Writes an integer reading.
   *
   * @param name field name (JSON only)
   * @param value the value
   */
  void integer(String name, long value);

  /**
   * Writes a short text (ASCII without quotes or backslashes).
   *
   * @param name field name (JSON only)
   * @param value the value
   */
  void text(String name, String value);
}
