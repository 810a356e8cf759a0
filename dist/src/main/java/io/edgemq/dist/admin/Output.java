package io.edgemq.dist.admin;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints rows either as an aligned table with a header, or as a JSON array of objects keyed by the
 * column names (numbers stay numbers, maps become objects).
 */
final class Output {
  private Output() {}

  static void print(PrintWriter out, boolean json, List<String> columns, List<List<Object>> rows) {
    if (json) {
      out.println(json(columns, rows));
    } else {
      table(out, columns, rows);
    }
    out.flush();
  }

  private static void table(PrintWriter out, List<String> columns, List<List<Object>> rows) {
    int[] width = new int[columns.size()];
    List<List<String>> cells = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      width[i] = columns.get(i).length();
    }
    for (List<Object> row : rows) {
      List<String> r = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        String c = text(row.get(i));
        width[i] = Math.max(width[i], c.length());
        r.add(c);
      }
      cells.add(r);
    }
    out.println(line(columns, width));
    for (List<String> r : cells) {
      out.println(line(r, width));
    }
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append("  ");
      }
      b.append(cells.get(i));
      if (i < cells.size() - 1) {
        b.append(" ".repeat(width[i] - cells.get(i).length()));
      }
    }
    return b.toString();
  }

  private static String text(Object v) {
    if (v == null) {
      return "-";
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder();
      m.forEach((k, x) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(x));
      return b.length() == 0 ? "-" : b.toString();
    }
    return v.toString();
  }

  static String json(List<String> columns, List<List<Object>> rows) {
    StringBuilder b = new StringBuilder("[");
    for (int r = 0; r < rows.size(); r++) {
      b.append(r == 0 ? "" : ",").append('{');
      for (int i = 0; i < columns.size(); i++) {
        b.append(i == 0 ? "" : ",");
        string(b, columns.get(i).toLowerCase());
        b.append(':');
        value(b, rows.get(r).get(i));
      }
      b.append('}');
    }
    return b.append(']').toString();
  }

  private static void value(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(first ? "" : ",");
        first = false;
        string(b, e.getKey().toString());
        b.append(':');
        value(b, e.getValue());
      }
      b.append('}');
    } else {
      string(b, v.toString());
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
