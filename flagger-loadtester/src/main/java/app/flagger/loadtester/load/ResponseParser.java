package app.flagger.loadtester.load;

import java.nio.ByteBuffer;

/**
 * Incremental HTTP/1.1 response parser for the load generator. It reads the status line and the
 * framing headers ({@code Content-Length}, {@code Transfer-Encoding: chunked}, {@code Connection})
 * and skips the body without keeping it, so one instance per connection can be fed whatever a
 * socket read returned.
 */
final class ResponseParser {
  private static final int MAX_HEADER_BYTES = 64 * 1024;
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

  private final byte[] header = new byte[MAX_HEADER_BYTES];
  private int headerLen;
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
    headerLen = 0;
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
    return headerLen > 0 || state != State.HEADERS;
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

  private void readHeader(ByteBuffer buf) {
    int room = header.length - headerLen;
    if (room == 0) {
      throw new IllegalStateException("response headers larger than 64 KiB");
    }
    int n = Math.min(buf.remaining(), room);
    int first = buf.position();
    buf.get(header, headerLen, n);
    int limit = headerLen + n;
    for (int i = Math.max(2, headerLen); i < limit; i++) {
      if (header[i] == '\n' && header[i - 1] == '\r' && header[i - 2] == '\n') {
        int used = i + 1 - headerLen;
        buf.position(first + used);
        headerLen = i + 1;
        parseHeaders();
        return;
      }
    }
    headerLen = limit;
  }

  private void parseHeaders() {
    if (headerLen < 12 || header[0] != 'H' || header[4] != '/' || header[8] != ' ') {
      throw new IllegalStateException("malformed HTTP status line");
    }
    status = (header[9] - '0') * 100 + (header[10] - '0') * 10 + (header[11] - '0');
    if (status < 100 || status > 999) {
      throw new IllegalStateException("malformed HTTP status code");
    }
    boolean http10 = header[7] == '0';
    keepAlive = !http10;
    long contentLength = -1;
    boolean chunked = false;
    int lineStart = indexOf(0) + 1;
    while (lineStart < headerLen - 2) {
      int lineEnd = indexOf(lineStart);
      if (matches(lineStart, CONTENT_LENGTH)) {
        contentLength = parseLong(lineStart + CONTENT_LENGTH.length, lineEnd);
      } else if (matches(lineStart, TRANSFER_ENCODING)) {
        chunked = contains(lineStart + TRANSFER_ENCODING.length, lineEnd, CHUNKED);
      } else if (matches(lineStart, CONNECTION)) {
        int from = lineStart + CONNECTION.length;
        keepAlive =
            !contains(from, lineEnd, CLOSE) && (contains(from, lineEnd, KEEP_ALIVE) || keepAlive);
      }
      lineStart = lineEnd + 1;
    }
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

  private int indexOf(int from) {
    for (int i = from; i < headerLen; i++) {
      if (header[i] == '\n') {
        return i;
      }
    }
    return headerLen;
  }

  private boolean matches(int at, byte[] lowerName) {
    return at + lowerName.length <= headerLen && regionMatches(at, lowerName);
  }

  private boolean regionMatches(int at, byte[] lowerName) {
    for (int i = 0; i < lowerName.length; i++) {
      int c = header[at + i];
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
      byte c = header[i];
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
