package app.flagger.cli;

import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell, three spaces apart, as kubectl prints them. */
final class Table {
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(List.of(header));
  }

  Table row(String... cells) {
    List<String> r = new ArrayList<>();
    for (String c : cells) {
      r.add(c == null ? "" : c);
    }
    rows.add(r);
    return this;
  }

  /** Rows other than the header. */
  int size() {
    return rows.size() - 1;
  }

  /** The table, each line prefixed with {@code indent}, ending in a new line. */
  String render(String indent) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < r.size(); i++) {
        line.append(r.get(i));
        if (i < r.size() - 1) {
          line.append(" ".repeat(widths[i] - r.get(i).length() + 3));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
