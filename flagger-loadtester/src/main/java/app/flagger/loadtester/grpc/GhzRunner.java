package app.flagger.loadtester.grpc;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs a {@link GhzSpec} on grpc-java: finds the method (descriptor set or server reflection),
 * turns the JSON data into request bytes once, then makes unary calls over {@code connections}
 * channels. Closed model: {@code concurrency} workers, each starting its next call when the
 * previous one ends. Open model ({@code rate > 0}): calls started at the rate, at most {@code
 * concurrency} in flight. Calls still in flight when the duration ends are cancelled and not
 * counted, unless {@code --duration-stop wait}.
 */
public final class GhzRunner {
  private static final String USER_AGENT = "ghz (built into flagger-loadtester)";
  private static final long POLL_MILLIS = 10;
  private static final io.grpc.MethodDescriptor.Marshaller<byte[]> BYTES =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try (stream) {
            // the answer is read but not decoded: only its status counts
            stream.transferTo(java.io.OutputStream.nullOutputStream());
            return new byte[0];
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private final LongSupplier nanoTime;

  /** A runner on the JVM's monotonic clock. */
  public GhzRunner() {
    this(System::nanoTime);
  }

  /**
   * @param nanoTime monotonic time in nanoseconds, for the duration and the latencies
   */
  public GhzRunner(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * Runs {@code spec} to its end or until {@code cancelled} returns true; blocks the caller.
   *
   * @throws IllegalStateException (message starting {@code ghz:}) when the run cannot start: the
   *     method is unknown, the data does not fit it, the server cannot be reached
   */
  public GhzResult run(GhzSpec spec, BooleanSupplier cancelled) {
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int i = 0; i < spec.connections(); i++) {
        channels.add(Channels.open(spec.target(), spec.tls(), spec.authority(), USER_AGENT));
      }
      MethodDescriptor method = resolve(spec, channels.getFirst());
      if (method.isClientStreaming() || method.isServerStreaming()) {
        throw new IllegalStateException(
            "ghz: " + spec.call() + " is a streaming method; the built-in ghz calls unary methods");
      }
      List<byte[]> requests = spec.data().stream().map(json -> request(method, json)).toList();
      io.grpc.MethodDescriptor<byte[], byte[]> rpc =
          io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(
                  io.grpc.MethodDescriptor.generateFullMethodName(
                      method.getService().getFullName(), method.getName()))
              .setRequestMarshaller(BYTES)
              .setResponseMarshaller(BYTES)
              .build();
      return new Run(spec, channels, rpc, requests, cancelled).go();
    } finally {
      channels.forEach(Channels::close);
    }
  }

  private static MethodDescriptor resolve(GhzSpec spec, Channel channel) {
    try {
      if (spec.protoset() != null) {
        return MethodLookup.fromProtoset(spec.protoset(), spec.service(), spec.method());
      }
      try {
        return MethodLookup.fromReflection(
            channel,
            headers(spec.reflectMetadata()),
            spec.connectTimeout(),
            spec.service(),
            spec.method());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED
            && spec.service().equals("grpc.health.v1.Health")) {
          return MethodLookup.builtIn(spec.service(), spec.method());
        }
        throw new IllegalStateException(
            "ghz: server reflection failed (pass --protoset when the server has none): "
                + GrpcCodes.error(e.getStatus()),
            e);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("ghz: " + e.getMessage(), e);
    }
  }

  private static byte[] request(MethodDescriptor method, String json) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(method.getInputType());
    try {
      JsonFormat.parser().merge(json, b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "ghz: -d: the data does not fit "
              + method.getInputType().getFullName()
              + ": "
              + e.getMessage(),
          e);
    }
    return b.build().toByteArray();
  }

  private static Metadata headers(Map<String, String> map) {
    Metadata m = new Metadata();
    map.forEach((k, v) -> m.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    return m;
  }

  /** The state of one run. */
  private final class Run {
    private final GhzSpec spec;
    private final List<ManagedChannel> channels;
    private final io.grpc.MethodDescriptor<byte[], byte[]> rpc;
    private final List<byte[]> requests;
    private final BooleanSupplier cancelled;
    private final GhzStats stats;
    private final AtomicLong remaining;
    private final AtomicLong sequence = new AtomicLong();
    private final Set<ClientCall<byte[], byte[]>> inFlight = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private final long start;
    private final long end;

    /** Workers still going (closed model) or calls in flight (open model). */
    private int outstanding;

    private volatile boolean stopping;

    Run(
        GhzSpec spec,
        List<ManagedChannel> channels,
        io.grpc.MethodDescriptor<byte[], byte[]> rpc,
        List<byte[]> requests,
        BooleanSupplier cancelled) {
      this.spec = spec;
      this.channels = channels;
      this.rpc = rpc;
      this.requests = requests;
      this.cancelled = cancelled;
      this.stats = new GhzStats(spec.countErrors(), spec.skipFirst());
      this.remaining = new AtomicLong(spec.requests() > 0 ? spec.requests() : Long.MAX_VALUE);
      this.start = nanoTime.getAsLong();
      long limit = Long.MAX_VALUE;
      if (!spec.duration().isZero()) {
        limit = spec.duration().toNanos();
      }
      if (!spec.maxDuration().isZero()) {
        limit = Math.min(limit, spec.maxDuration().toNanos());
      }
      this.end = limit == Long.MAX_VALUE ? start + (1L << 62) : start + limit;
    }

    GhzResult go() {
      if (spec.openModel()) {
        pace();
      } else {
        synchronized (lock) {
          outstanding = spec.concurrency();
        }
        for (int i = 0; i < spec.concurrency(); i++) {
          new Worker(channels.get(i % channels.size())).next();
        }
      }
      awaitEnd();
      long stop = nanoTime.getAsLong();
      boolean wasCancelled = cancelled.getAsBoolean();
      long until = spec.waitAtEnd() ? stop : Math.min(stop, end);
      return stats.result(Duration.ofNanos(Math.max(1, until - start)), wasCancelled);
    }

    private boolean over() {
      return stopping || nanoTime.getAsLong() - end >= 0 || cancelled.getAsBoolean();
    }

    /** Open model: start calls at the rate, at most {@code concurrency} in flight. */
    private void pace() {
      long interval = Math.max(1, (long) (1e9 / spec.rate()));
      long due = start;
      Semaphore slots = new Semaphore(spec.concurrency());
      int next = 0;
      while (!over() && remaining.get() > 0) {
        long wait = due - nanoTime.getAsLong();
        if (wait > 0) {
          LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(1)));
          continue;
        }
        try {
          if (!slots.tryAcquire(1, TimeUnit.MILLISECONDS)) {
            continue;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
          break;
        }
        synchronized (lock) {
          outstanding++;
        }
        Channel channel = channels.get(next++ % channels.size());
        if (!call(
            channel,
            () -> {
              slots.release();
              finished();
            })) {
          slots.release();
          finished();
          break;
        }
        due += interval;
      }
    }

    /** Waits for the workers or calls to end; at the deadline or on cancel, stops them. */
    private void awaitEnd() {
      boolean stopped = false;
      while (true) {
        synchronized (lock) {
          if (outstanding == 0) {
            return;
          }
          try {
            lock.wait(POLL_MILLIS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            cancelAll();
            return;
          }
        }
        boolean hardStop = cancelled.getAsBoolean();
        if (!stopped && (hardStop || nanoTime.getAsLong() - end >= 0)) {
          stopped = true;
          stopping = true;
        }
        if (stopped && (!spec.waitAtEnd() || hardStop)) {
          // again on every poll: a worker may have started a call just before it saw the stop
          cancelAll();
        }
      }
    }

    private void cancelAll() {
      for (ClientCall<byte[], byte[]> c : inFlight) {
        c.cancel("ghz run ended", null);
      }
    }

    private void finished() {
      synchronized (lock) {
        outstanding--;
        if (outstanding == 0) {
          lock.notifyAll();
        }
      }
    }

    /**
     * Starts one call that runs {@code done} when it ends.
     *
     * @return false when no request is left in the budget (nothing started)
     */
    private boolean call(Channel channel, Runnable done) {
      if (remaining.getAndDecrement() <= 0) {
        return false;
      }
      byte[] request = requests.get((int) (sequence.getAndIncrement() % requests.size()));
      CallOptions options = CallOptions.DEFAULT;
      if (!spec.timeout().isZero()) {
        options = options.withDeadlineAfter(spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
      }
      if (spec.gzip()) {
        options = options.withCompression("gzip");
      }
      ClientCall<byte[], byte[]> call = channel.newCall(rpc, options);
      inFlight.add(call);
      long t0 = nanoTime.getAsLong();
      call.start(
          new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
              inFlight.remove(call);
              if (!stopping || spec.waitAtEnd() && !cancelled.getAsBoolean()) {
                stats.record(status, nanoTime.getAsLong() - t0);
              }
              done.run();
            }
          },
          headers(spec.metadata()));
      call.request(2);
      call.sendMessage(request);
      call.halfClose();
      return true;
    }

    /**
     * One closed-model worker: its next call starts when the previous one ends. Calls that end
     * while being started (a failed connection) do not recurse: the loop in {@link #next()} picks
     * them up.
     */
    private final class Worker {
      private final Channel channel;
      private final AtomicInteger pending = new AtomicInteger();

      Worker(Channel channel) {
        this.channel = channel;
      }

      void next() {
        if (pending.getAndIncrement() != 0) {
          return;
        }
        do {
          if (over() || !call(channel, this::next)) {
            finished();
            return;
          }
        } while (pending.decrementAndGet() != 0);
      }
    }
  }
}
