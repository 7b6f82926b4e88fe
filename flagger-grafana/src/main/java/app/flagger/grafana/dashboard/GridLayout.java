package app.flagger.grafana.dashboard;

/**
 * Places panels left to right on Grafana's 24-column grid, wrapping to a new line when a panel does
 * not fit, so dashboard classes only say how wide and tall each panel is.
 */
final class GridLayout {
  static final int COLUMNS = 24;

  private int x;
  private int y;
  private int lineHeight;

  /** A full-width row header. */
  GridPos row() {
    newLine();
    GridPos pos = new GridPos(0, y, COLUMNS, 1);
    y += 1;
    return pos;
  }

  /** The next free spot for a panel of the given size. */
  GridPos next(int w, int h) {
    if (x + w > COLUMNS) {
      newLine();
    }
    GridPos pos = new GridPos(x, y, w, h);
    x += w;
    lineHeight = Math.max(lineHeight, h);
    return pos;
  }

  private void newLine() {
    y += lineHeight;
    x = 0;
    lineHeight = 0;
  }
}
