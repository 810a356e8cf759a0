package io.edgemq.store.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: the first {@code leftColumns} columns left-aligned, the rest right. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int leftColumns;

  Table(int leftColumns, String... header) {
    this.leftColumns = leftColumns;
    rows.add(header);
  }

  Table row(Object... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = String.valueOf(cells[i]);
    }
    rows.add(r);
    return this;
  }

  void print(PrintStream out) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < r.length && i < columns; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (int n = 0; n < rows.size(); n++) {
      StringBuilder line = new StringBuilder("  ");
      String[] r = rows.get(n);
      for (int i = 0; i < columns; i++) {
        String cell = i < r.length ? r[i] : "";
        String pad = " ".repeat(width[i] - cell.length());
        line.append(i < leftColumns ? cell + pad : pad + cell);
        if (i + 1 < columns) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
      if (n == 0) {
        int total = 0;
        for (int w : width) {
          total += w + 2;
        }
        out.println("  " + "-".repeat(total - 2));
      }
    }
  }
}
