package app.flagger.controller.support;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * A response body of any size made up while it is sent, never held in memory: {@code size} bytes of
 * {@code x}, chunked (no {@code Content-Length}) or with its length declared. Counts what it got
 * onto the wire, so a test can tell that the client stopped reading early.
 */
public final class GeneratedBody implements MockResponseBody {
  private static final int CHUNK = 64 * 1024;

  private final long size;
  private final boolean chunked;
  private final AtomicLong written = new AtomicLong();
  private volatile boolean finished;

  private GeneratedBody(long size, boolean chunked) {
    this.size = size;
    this.chunked = chunked;
  }

  /** {@code size} bytes sent in chunks, without a {@code Content-Length}. */
  public static GeneratedBody chunked(long size) {
    return new GeneratedBody(size, true);
  }

  /** {@code size} bytes behind {@code Content-Length: size}. */
  public static GeneratedBody declared(long size) {
    return new GeneratedBody(size, false);
  }

  /** A response with status {@code code} and this body. */
  public MockResponse response(int code) {
    MockResponse.Builder b = new MockResponse.Builder().code(code).body(this);
    if (chunked) {
      b.removeHeader("Content-Length").addHeader("Transfer-Encoding", "chunked");
    }
    return b.build();
  }

  /** Body bytes written so far (without the chunk framing). */
  public long written() {
    return written.get();
  }

  /** Whether sending ended, because the body was complete or the client went away. */
  public boolean finished() {
    return finished;
  }

  @Override
  public long getContentLength() {
    return chunked ? -1 : size;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    byte[] data = new byte[CHUNK];
    Arrays.fill(data, (byte) 'x');
    try {
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(CHUNK, left);
        if (chunked) {
          sink.writeUtf8(Integer.toHexString(n)).writeUtf8("\r\n");
        }
        sink.write(data, 0, n);
        if (chunked) {
          sink.writeUtf8("\r\n");
        }
        sink.flush();
        written.addAndGet(n);
        left -= n;
      }
      if (chunked) {
        sink.writeUtf8("0\r\n\r\n");
      }
      sink.flush();
    } finally {
      finished = true;
    }
  }
}
