package app.flagger.loadtester.load;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One keep-alive connection of a {@link NioLoop} and the request it carries, if any. */
final class NioConnection {
  final ByteBuffer out;
  final ResponseParser parser = new ResponseParser();
  SocketChannel channel;
  SelectionKey key;
  boolean connected;
  boolean inFlight;

  /** The connection has carried a complete exchange, so the server may have closed it idle. */
  boolean reused;

  /** The current request was already re-sent once on a fresh connection. */
  boolean retried;

  /** When the request should have started (open model) or started (closed model). */
  long intendedNanos;

  /** When the request was handed to the socket, for the per-request timeout. */
  long sentNanos;

  /**
   * @param request the rendered request, shared by every connection of a run; this connection keeps
   *     its own position in it
   */
  NioConnection(ByteBuffer request) {
    this.out = request.duplicate();
  }
}
