package app.flagger.loadtester.grpc;

import io.grpc.Status;

/** gRPC status codes and errors written as grpc-go writes them, which ghz prints. */
final class GrpcCodes {
  private GrpcCodes() {}

  /** {@code OK}, {@code Unavailable}, {@code DeadlineExceeded}, ... */
  static String name(Status.Code code) {
    return switch (code) {
      case OK -> "OK";
      case CANCELLED -> "Canceled";
      case UNKNOWN -> "Unknown";
      case INVALID_ARGUMENT -> "InvalidArgument";
      case DEADLINE_EXCEEDED -> "DeadlineExceeded";
      case NOT_FOUND -> "NotFound";
      case ALREADY_EXISTS -> "AlreadyExists";
      case PERMISSION_DENIED -> "PermissionDenied";
      case RESOURCE_EXHAUSTED -> "ResourceExhausted";
      case FAILED_PRECONDITION -> "FailedPrecondition";
      case ABORTED -> "Aborted";
      case OUT_OF_RANGE -> "OutOfRange";
      case UNIMPLEMENTED -> "Unimplemented";
      case INTERNAL -> "Internal";
      case UNAVAILABLE -> "Unavailable";
      case DATA_LOSS -> "DataLoss";
      case UNAUTHENTICATED -> "Unauthenticated";
    };
  }

  /** {@code rpc error: code = NotFound desc = unknown service x}, as grpc-go's error string. */
  static String error(Status status) {
    String desc = status.getDescription() == null ? "" : status.getDescription();
    Throwable cause = status.getCause();
    if (cause != null && cause.getMessage() != null && !desc.contains(cause.getMessage())) {
      desc = desc.isEmpty() ? cause.getMessage() : desc + ": " + cause.getMessage();
    }
    return "rpc error: code = " + name(status.getCode()) + " desc = " + desc;
  }
}
