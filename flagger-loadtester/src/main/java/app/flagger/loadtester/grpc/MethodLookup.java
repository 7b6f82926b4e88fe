package app.flagger.loadtester.grpc;

import com.google.protobuf.AnyProto;
import com.google.protobuf.ApiProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.WrappersProto;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the descriptor of the method ghz calls: in a {@code FileDescriptorSet} ({@code --protoset},
 * or the built-in {@code health.proto}) or from the server's reflection service ({@code
 * grpc.reflection.v1}, then {@code v1alpha}, whose messages are the same on the wire).
 */
final class MethodLookup {
  private static final String V1ALPHA = "grpc.reflection.v1alpha.ServerReflection";
  private static final Map<String, FileDescriptor> WELL_KNOWN =
      Stream.of(
              AnyProto.getDescriptor(),
              ApiProto.getDescriptor(),
              DescriptorProtos.getDescriptor(),
              DurationProto.getDescriptor(),
              EmptyProto.getDescriptor(),
              FieldMaskProto.getDescriptor(),
              SourceContextProto.getDescriptor(),
              StructProto.getDescriptor(),
              TimestampProto.getDescriptor(),
              TypeProto.getDescriptor(),
              WrappersProto.getDescriptor())
          .collect(java.util.stream.Collectors.toMap(FileDescriptor::getName, Function.identity()));

  private MethodLookup() {}

  /**
   * @throws IllegalArgumentException when the set does not parse or lacks the method
   */
  static MethodDescriptor fromProtoset(byte[] protoset, String service, String method) {
    FileDescriptorSet set;
    try {
      set = FileDescriptorSet.parseFrom(protoset);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "--protoset: not a serialized FileDescriptorSet: " + e.getMessage(), e);
    }
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    set.getFileList().forEach(p -> protos.put(p.getName(), p));
    Map<String, FileDescriptor> built = new HashMap<>();
    for (String name : protos.keySet()) {
      build(name, protos, built, n -> null);
    }
    return find(built.values().stream().toList(), service, method, "the descriptor set");
  }

  /**
   * Asks the server through reflection.
   *
   * @throws StatusRuntimeException when the server answers neither reflection version
   * @throws IllegalArgumentException when the server does not know the service or method
   */
  static MethodDescriptor fromReflection(
      Channel channel, Metadata headers, Duration timeout, String service, String method) {
    String v1 = ServerReflectionGrpc.SERVICE_NAME;
    try {
      return reflect(channel, v1, headers, timeout, service, method);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      return reflect(channel, V1ALPHA, headers, timeout, service, method);
    }
  }

  /**
   * The method of grpc.health.v1 that grpc-java itself describes, when the server has no
   * reflection.
   */
  static MethodDescriptor builtIn(String service, String method) {
    return find(List.of(HealthProto.getDescriptor()), service, method, "grpc.health.v1");
  }

  private static MethodDescriptor reflect(
      Channel channel,
      String reflectionService,
      Metadata headers,
      Duration timeout,
      String service,
      String method) {
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    ServerReflectionRequest.Builder request = ServerReflectionRequest.newBuilder();
    add(
        ask(channel, reflectionService, headers, timeout, request.setFileContainingSymbol(service)),
        "does not know the service \"" + service + "\"",
        protos);
    String root = protos.keySet().iterator().next();
    // fetch dependencies the server did not send along
    Deque<String> missing = new ArrayDeque<>(dependencies(protos));
    while (!missing.isEmpty()) {
      String dep = missing.pop();
      if (protos.containsKey(dep) || WELL_KNOWN.containsKey(dep)) {
        continue;
      }
      add(
          ask(channel, reflectionService, headers, timeout, request.setFileByFilename(dep)),
          "cannot send " + dep,
          protos);
      missing.addAll(dependencies(protos));
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    build(root, protos, built, WELL_KNOWN::get);
    return find(built.values().stream().toList(), service, method, "the server's reflection");
  }

  private static List<String> dependencies(Map<String, FileDescriptorProto> protos) {
    return protos.values().stream()
        .flatMap(p -> p.getDependencyList().stream())
        .filter(d -> !protos.containsKey(d))
        .distinct()
        .toList();
  }

  private static void add(
      ServerReflectionResponse r, String failure, Map<String, FileDescriptorProto> protos) {
    if (r.hasErrorResponse()) {
      throw new IllegalArgumentException(
          "the server's reflection " + failure + ": " + r.getErrorResponse().getErrorMessage());
    }
    for (ByteString b : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      try {
        FileDescriptorProto p = FileDescriptorProto.parseFrom(b);
        protos.putIfAbsent(p.getName(), p);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException(
            "the server's reflection sent a descriptor that does not parse: " + e.getMessage(), e);
      }
    }
  }

  private static FileDescriptor build(
      String name,
      Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built,
      Function<String, FileDescriptor> fallback) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto p = protos.get(name);
    if (p == null) {
      FileDescriptor known = WELL_KNOWN.get(name);
      if (known != null) {
        return known;
      }
      FileDescriptor f = fallback.apply(name);
      if (f == null) {
        throw new IllegalArgumentException("missing the descriptor of " + name);
      }
      return f;
    }
    FileDescriptor[] deps =
        p.getDependencyList().stream()
            .map(d -> build(d, protos, built, fallback))
            .toArray(FileDescriptor[]::new);
    try {
      FileDescriptor f = FileDescriptor.buildFrom(p, deps);
      built.put(name, f);
      return f;
    } catch (DescriptorValidationException e) {
      throw new IllegalArgumentException("invalid descriptor " + name + ": " + e.getMessage(), e);
    }
  }

  private static MethodDescriptor find(
      List<FileDescriptor> files, String service, String method, String source) {
    for (FileDescriptor f : files) {
      for (ServiceDescriptor s : f.getServices()) {
        if (s.getFullName().equals(service)) {
          MethodDescriptor m = s.findMethodByName(method);
          if (m == null) {
            throw new IllegalArgumentException(
                "service \"" + service + "\" has no method \"" + method + "\"");
          }
          return m;
        }
      }
    }
    throw new IllegalArgumentException("cannot find service \"" + service + "\" in " + source);
  }

  /** One request on the reflection stream, answered by one response. */
  private static ServerReflectionResponse ask(
      Channel channel,
      String reflectionService,
      Metadata headers,
      Duration timeout,
      ServerReflectionRequest.Builder request) {
    io.grpc.MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> rpc =
        ServerReflectionGrpc.getServerReflectionInfoMethod().toBuilder()
            .setFullMethodName(
                io.grpc.MethodDescriptor.generateFullMethodName(
                    reflectionService, "ServerReflectionInfo"))
            .build();
    ClientCall<ServerReflectionRequest, ServerReflectionResponse> call =
        channel.newCall(
            rpc, CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS));
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          private ServerReflectionResponse response;

          @Override
          public void onMessage(ServerReflectionResponse message) {
            if (response == null) {
              response = message;
            }
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            if (status.isOk() && response != null) {
              answer.complete(response);
            } else if (status.isOk()) {
              answer.completeExceptionally(
                  Status.INTERNAL
                      .withDescription("the reflection stream closed without an answer")
                      .asRuntimeException());
            } else {
              answer.completeExceptionally(status.asRuntimeException(trailers));
            }
          }
        },
        headers);
    call.request(2);
    call.sendMessage(request.build());
    call.halfClose();
    try {
      return answer.get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw s;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      call.cancel("timed out", null);
      throw Status.DEADLINE_EXCEEDED
          .withDescription("reflection did not answer within " + GoDurations.format(timeout))
          .asRuntimeException();
    } catch (InterruptedException e) {
      call.cancel("interrupted", e);
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }
}
