package io.trafficcoordinator.proxy;

import io.trafficcoordinator.http.ProblemType;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;

/**
 * Checks a request's body framing before anything is forwarded. Netty's decoder already refuses
 * differing Content-Length values and whitespace before a colon; what it lets through and we must
 * not is a Transfer-Encoding whose last coding is not {@code chunked}: Netty then reads the
 * request as having no body and would take the body for the next request (request smuggling).
 */
final class RequestFraming {

  /** What the request's framing says; {@link #problem} is null when it is acceptable. */
  record Verdict(ProblemType problem, String detail, boolean chunked, long contentLength) {}

  private RequestFraming() {}

  /**
   * What a request Netty's decoder refused did wrong, for the client. Its own RFC 9112 refusals of
   * a Transfer-Encoding (since 4.2.10 it refuses one beside a Content-Length, one whose last coding
   * is not chunked, and any in an HTTP/1.0 request) are put in the words of the proxy's checks
   * below, so that a client gets one detail per fault whichever layer found it.
   */
  static String describeRefusal(Throwable netty) {
    String message = String.valueOf(netty.getMessage());
    if (message.contains("Content-Length are not allowed")) {
      return "Content-Length and Transfer-Encoding must not both be present";
    }
    if (message.contains("only allowed in HTTP/1.1 or newer")) {
      return "Transfer-Encoding is not allowed in an HTTP/1.0 request";
    }
    if (message.contains("must be the last encoding") || message.contains("final transfer coding must be chunked")) {
      return "the last transfer coding of a request must be chunked";
    }
    if (message.contains("must not be applied more than once")) {
      return "the chunked transfer coding must not be applied more than once";
    }
    return Problems.describe(netty);
  }

  static Verdict check(MultiMap headers) {
    List<String> encodings = headers.getAll("transfer-encoding");
    if (!encodings.isEmpty() && headers.contains("content-length")) {
      // Netty's decoder refuses these first (see describeRefusal); kept should its RFC 9112 mode be off.
      return new Verdict(ProblemType.MALFORMED_REQUEST,
          "Content-Length and Transfer-Encoding must not both be present", false, -1);
    }
    if (!encodings.isEmpty()) {
      String[] codings = String.join(",", encodings).split(",");
      String last = codings[codings.length - 1].trim().toLowerCase(Locale.ROOT);
      if (!last.equals("chunked")) {
        return new Verdict(ProblemType.MALFORMED_REQUEST,
            "the last transfer coding of a request must be chunked", false, -1);
      }
      for (int i = 0; i < codings.length - 1; i++) {
        String coding = codings[i].trim().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty()) {
          return new Verdict(ProblemType.UNSUPPORTED_TRANSFER_CODING,
              "transfer coding '" + coding + "' is not supported; only chunked is", false, -1);
        }
      }
      return new Verdict(null, null, true, -1);
    }
    String length = headers.get("content-length");
    if (length == null) {
      return new Verdict(null, null, false, 0);
    }
    // Netty has already checked that all Content-Length values agree and are plain decimals.
    try {
      return new Verdict(null, null, false, Long.parseLong(length.trim()));
    } catch (NumberFormatException e) {
      return new Verdict(ProblemType.MALFORMED_REQUEST, "Content-Length is not a number", false, -1);
    }
  }
}
