package app.flagger.loadtester.load;

import java.nio.ByteBuffer;

/**
 * Incremental HTTP/1.1 response parser for the load generator. It reads the status line and the
 * framing headers ({@code Content-Length}, {@code Transfer-Encoding: chunked}, {@code Connection})
 * and skips the body without keeping it, so one instance per connection can be fed whatever a
 * socket read returned.
 *
 * <p>Headers are read line by line and only the first {@value #LINE_BYTES} bytes of each line are
 * kept (enough for the status line and the framing headers), so a parser costs a few hundred bytes
 * whatever the server sends: the load tester's connection budget relies on that.
 */
final class ResponseParser {
  /** Longest response head accepted (counted, not stored). */
  static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Bytes of each header line kept for matching; longer framing headers are refused. */
  static final int LINE_BYTES = 256;

  private static final byte[] CONTENT_LENGTH = "content-length:".getBytes();
  private static final byte[] TRANSFER_ENCODING = "transfer-encoding:".getBytes();
  private static final byte[] CONNECTION = "connection:".getBytes();
  private static final byte[] CHUNKED = "chunked".getBytes();
  private static final byte[] CLOSE = "close".getBytes();
  private static final byte[] KEEP_ALIVE = "keep-alive".getBytes();

  private enum State {
    HEADERS,
    BODY_LENGTH,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILERS,
    UNTIL_CLOSE,
    DONE
  }

  private final byte[] line = new byte[LINE_BYTES];
  private int lineLength;
  private int headerBytes;
  private boolean statusSeen;
  private long contentLength;
  private boolean chunked;
  private State state = State.HEADERS;
  private boolean headRequest;
  private int status;
  private boolean keepAlive;
  private long remaining;
  private long chunkSize;
  private boolean chunkSizeSeen;
  private boolean inExtension;
  private int lineLen;
  private long bodyBytes;

  /** Prepares for the next response; {@code head} when the request was a HEAD. */
  void reset(boolean head) {
    headRequest = head;
    state = State.HEADERS;
    lineLength = 0;
    headerBytes = 0;
    statusSeen = false;
    contentLength = -1;
    chunked = false;
    status = 0;
    keepAlive = true;
    remaining = 0;
    bodyBytes = 0;
  }

  int status() {
    return status;
  }

  /** True when the connection may carry another request after this response. */
  boolean keepAlive() {
    return keepAlive && state != State.UNTIL_CLOSE;
  }

  long bodyBytes() {
    return bodyBytes;
  }

  /** True once any byte of the response has arrived. */
  boolean started() {
    return headerBytes > 0 || state != State.HEADERS;
  }

  /** True when the response is complete only once the server closes the connection. */
  boolean readsUntilClose() {
    return state == State.UNTIL_CLOSE;
  }

  /**
   * Consumes bytes from {@code buf}.
   *
   * @return true when a whole response has been read
   * @throws IllegalStateException when the response is not valid HTTP/1.x
   */
  boolean feed(ByteBuffer buf) {
    while (buf.hasRemaining()) {
      switch (state) {
        case HEADERS -> readHeader(buf);
        case BODY_LENGTH -> {
          int n = (int) Math.min(remaining, buf.remaining());
          buf.position(buf.position() + n);
          remaining -= n;
          bodyBytes += n;
          if (remaining == 0) {
            state = State.DONE;
          }
        }
        case CHUNK_SIZE -> readChunkSize(buf.get());
        case CHUNK_DATA -> {
          int n = (int) Math.min(remaining, buf.remaining());
          buf.position(buf.position() + n);
          remaining -= n;
          bodyBytes += n;
          if (remaining == 0) {
            state = State.CHUNK_END;
          }
        }
        case CHUNK_END -> {
          if (buf.get() == '\n') {
            state = State.CHUNK_SIZE;
            chunkSize = 0;
            chunkSizeSeen = false;
            inExtension = false;
          }
        }
        case TRAILERS -> readTrailer(buf.get());
        case UNTIL_CLOSE -> {
          bodyBytes += buf.remaining();
          buf.position(buf.limit());
        }
        case DONE -> {
          return true;
        }
      }
      if (state == State.DONE) {
        return true;
      }
    }
    return state == State.DONE;
  }

  /** Reads header bytes up to the end of the head, one line at a time. */
  private void readHeader(ByteBuffer buf) {
    int pos = buf.position();
    int limit = buf.limit();
    while (pos < limit) {
      byte b = buf.get(pos++);
      if (++headerBytes > MAX_HEADER_BYTES) {
        buf.position(pos);
        throw new IllegalStateException("response headers larger than 64 KiB");
      }
      if (b != '\n') {
        if (lineLength < LINE_BYTES) {
          line[lineLength] = b;
        }
        lineLength++;
        continue;
      }
      int length =
          lineLength > 0 && lineLength <= LINE_BYTES && line[lineLength - 1] == '\r'
              ? lineLength - 1
              : lineLength;
      lineLength = 0;
      if (!statusSeen) {
        statusLine(length);
      } else if (length == 0) {
        buf.position(pos);
        endOfHead();
        return;
      } else {
        headerLine(length);
      }
    }
    buf.position(pos);
  }

  private void statusLine(int length) {
    if (length < 12 || line[0] != 'H' || line[4] != '/' || line[8] != ' ') {
      throw new IllegalStateException("malformed HTTP status line");
    }
    status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (status < 100 || status > 999) {
      throw new IllegalStateException("malformed HTTP status code");
    }
    keepAlive = line[7] != '0';
    statusSeen = true;
  }

  /** One header line of {@code length} bytes, of which at most {@link #LINE_BYTES} are kept. */
  private void headerLine(int length) {
    int kept = Math.min(length, LINE_BYTES);
    if (matches(kept, CONTENT_LENGTH)) {
      requireKept(length, "Content-Length");
      contentLength = parseLong(CONTENT_LENGTH.length, kept);
    } else if (matches(kept, TRANSFER_ENCODING)) {
      requireKept(length, "Transfer-Encoding");
      chunked = contains(TRANSFER_ENCODING.length, kept, CHUNKED);
    } else if (matches(kept, CONNECTION)) {
      requireKept(length, "Connection");
      int from = CONNECTION.length;
      keepAlive = !contains(from, kept, CLOSE) && (contains(from, kept, KEEP_ALIVE) || keepAlive);
    }
  }

  private static void requireKept(int length, String name) {
    if (length > LINE_BYTES) {
      throw new IllegalStateException(name + " header longer than " + LINE_BYTES + " bytes");
    }
  }

  private void endOfHead() {
    if (headRequest || status < 200 || status == 204 || status == 304) {
      state = State.DONE;
    } else if (chunked) {
      state = State.CHUNK_SIZE;
      chunkSize = 0;
      chunkSizeSeen = false;
      inExtension = false;
    } else if (contentLength >= 0) {
      remaining = contentLength;
      state = contentLength == 0 ? State.DONE : State.BODY_LENGTH;
    } else {
      state = State.UNTIL_CLOSE;
      keepAlive = false;
    }
  }

  private void readChunkSize(byte b) {
    if (b == '\n') {
      if (!chunkSizeSeen) {
        throw new IllegalStateException("malformed chunk size");
      }
      if (chunkSize == 0) {
        state = State.TRAILERS;
        lineLen = 0;
      } else {
        remaining = chunkSize;
        state = State.CHUNK_DATA;
      }
      return;
    }
    if (b == '\r' || inExtension) {
      return;
    }
    if (b == ';' || b == ' ' || b == '\t') {
      inExtension = true;
      return;
    }
    int d = Character.digit(b, 16);
    if (d < 0) {
      throw new IllegalStateException("malformed chunk size");
    }
    chunkSize = chunkSize * 16 + d;
    chunkSizeSeen = true;
  }

  private void readTrailer(byte b) {
    if (b == '\n') {
      if (lineLen == 0) {
        state = State.DONE;
      }
      lineLen = 0;
    } else if (b != '\r') {
      lineLen++;
    }
  }

  private boolean matches(int kept, byte[] lowerName) {
    return lowerName.length <= kept && regionMatches(0, lowerName);
  }

  private boolean regionMatches(int at, byte[] lowerName) {
    for (int i = 0; i < lowerName.length; i++) {
      int c = line[at + i];
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (c != lowerName[i]) {
        return false;
      }
    }
    return true;
  }

  private long parseLong(int from, int to) {
    long v = 0;
    boolean seen = false;
    for (int i = from; i < to; i++) {
      byte c = line[i];
      if (c >= '0' && c <= '9') {
        v = v * 10 + (c - '0');
        seen = true;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        throw new IllegalStateException("malformed Content-Length");
      }
    }
    if (!seen) {
      throw new IllegalStateException("malformed Content-Length");
    }
    return v;
  }

  /** Case-insensitive search in a header value without allocating: one call per response. */
  private boolean contains(int from, int to, byte[] lowerNeedle) {
    for (int at = from; at + lowerNeedle.length <= to; at++) {
      if (regionMatches(at, lowerNeedle)) {
        return true;
      }
    }
    return false;
  }
}
