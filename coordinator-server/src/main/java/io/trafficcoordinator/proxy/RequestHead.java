package io.trafficcoordinator.proxy;

import io.netty.buffer.ByteBuf;
import io.trafficcoordinator.http.ProblemType;

/**
 * The rules a request head (request line and header section) must follow before anything of it is
 * forwarded, checked on its raw bytes: what RFC 9112 and RFC 9110 say a recipient MUST reject,
 * and what a careful proxy refuses because two parsers could read it two ways. Netty's decoder is
 * lenient where these rules are not (it folds obs-fold lines into the value, splits the request
 * line on any run of whitespace, keeps an empty field name, takes several Host fields): this runs
 * first, on each head as a whole, and the decoder only sees heads that passed.
 *
 * <ul>
 *   <li>request line (RFC 9112 §3): {@code method SP request-target SP HTTP-version CRLF}, one SP
 *       each, the method a token, the target without whitespace or control bytes (0x00-0x1F, 0x7F),
 *       the version exactly {@code HTTP/d.d} and then {@code HTTP/1.0} or {@code HTTP/1.1} (another
 *       version: 505);
 *   <li>every line ends in CRLF: a bare LF or CR is refused, not normalised (§2.2); a line that
 *       starts with SP or HTAB (obs-fold, §5.2) is refused;
 *   <li>field names are non-empty tokens followed directly by the colon (RFC 9110 §5.1, RFC 9112
 *       §5.1); field values hold no control byte but HTAB;
 *   <li>at most {@code maxHeaderCount} fields (431);
 *   <li>Host (RFC 9112 §3.2): exactly one in HTTP/1.1, at most one in HTTP/1.0, and its value a valid
 *       {@code uri-host [":" port]}; an empty one is refused too, since every request a gateway
 *       serves names the authority it was sent to;
 *   <li>a field name with {@code _}: refused when {@code rejectUnderscores}; otherwise the proxy
 *       drops the field before forwarding ({@link ProxyHeaders#forEndpoint}).
 * </ul>
 *
 * <p>Pure: bytes in, a verdict out; it reads the buffer without moving its indexes.
 */
final class RequestHead {

  /** Why a head is refused, and with which answer. */
  record Refusal(ProblemType problem, String detail) {}

  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private RequestHead() {}

  /** {@link #end}: the bytes so far hold no whole head yet. */
  static final int INCOMPLETE = -1;
  /** {@link #end}: a bare CR or LF came first, so the head can be refused before it is whole. */
  static final int BARE_LINE_BREAK = -2;

  /**
   * Where the head starting at {@code from} ends (the index after its empty line), scanning from
   * {@code resumeAt} (bytes before it were scanned already), or
   * {@link #INCOMPLETE}, or {@link #BARE_LINE_BREAK} when a CR not followed by LF or an LF not
   * preceded by CR comes before the end: such a head never ends in CRLF CRLF, and waiting for it
   * would leave the client unanswered until the header-read timeout.
   */
  static int end(ByteBuf in, int from, int resumeAt, int to) {
    for (int i = resumeAt; i < to; i++) {
      byte b = in.getByte(i);
      if (b == '\n') {
        if (i == from || in.getByte(i - 1) != '\r') {
          return BARE_LINE_BREAK;
        }
        if (i >= from + 3 && in.getByte(i - 2) == '\n' && in.getByte(i - 3) == '\r') {
          return i + 1;
        }
      } else if (b == '\r' && i + 1 < to && in.getByte(i + 1) != '\n') {
        return BARE_LINE_BREAK;
      }
    }
    return INCOMPLETE;
  }

  /**
   * Checks the whole head in {@code [from, end)}, {@code end} as {@link #end} found it: the refusal
   * it deserves, or null when it passes.
   */
  static Refusal check(ByteBuf in, int from, int end, int maxHeaderCount, boolean rejectUnderscores) {
    int start = from;
    int lineEnd = lineEnd(in, start, end);
    if (lineEnd < 0) {
      return refused(ProblemType.MALFORMED_REQUEST, "every line must end in CRLF (a bare CR or LF is refused)");
    }
    Refusal line = requestLine(in, start, lineEnd);
    if (line != null) {
      return line;
    }
    boolean http11 = in.getByte(lineEnd - 1) == '1';
    int fields = 0;
    int hosts = 0;
    int position = lineEnd + 2;
    while (position < end - 2) {
      int fieldEnd = lineEnd(in, position, end);
      if (fieldEnd < 0) {
        return refused(ProblemType.MALFORMED_REQUEST, "every line must end in CRLF (a bare CR or LF is refused)");
      }
      byte first = in.getByte(position);
      if (first == ' ' || first == '\t') {
        return refused(ProblemType.MALFORMED_REQUEST, "a header line starts with whitespace (obs-fold is refused)");
      }
      if (++fields > maxHeaderCount) {
        return refused(ProblemType.HEADERS_TOO_LARGE, "more than " + maxHeaderCount + " header fields");
      }
      int colon = position;
      boolean underscore = false;
      while (colon < fieldEnd && in.getByte(colon) != ':') {
        byte b = in.getByte(colon);
        if (b < 0 || !TCHAR[b]) {
          return refused(ProblemType.MALFORMED_REQUEST, "a header name holds a byte that is not a token character");
        }
        underscore |= b == '_';
        colon++;
      }
      if (colon == position || colon == fieldEnd) {
        return refused(ProblemType.MALFORMED_REQUEST,
            colon == position ? "a header field has an empty name" : "a header line has no colon");
      }
      for (int i = colon + 1; i < fieldEnd; i++) {
        byte b = in.getByte(i);
        if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7F) {
          return refused(ProblemType.MALFORMED_REQUEST, "a header value holds a control character");
        }
      }
      if (underscore && rejectUnderscores) {
        return refused(ProblemType.MALFORMED_REQUEST, "header names with '_' are refused here");
      }
      if (colon - position == 4 && isHost(in, position)) {
        hosts++;
        if (hosts > 1) {
          return refused(ProblemType.MALFORMED_REQUEST, "more than one Host header");
        }
        if (!HostHeader.isValid(trimmed(in, colon + 1, fieldEnd))) {
          return refused(ProblemType.MALFORMED_REQUEST, "the Host header is not a valid host[:port]");
        }
      }
      position = fieldEnd + 2;
    }
    if (http11 && hosts == 0) {
      return refused(ProblemType.MALFORMED_REQUEST, "an HTTP/1.1 request must have a Host header");
    }
    return null;
  }

  /** The index of the CR of the CRLF ending the line at {@code from}; -1 on a bare CR or LF first. */
  private static int lineEnd(ByteBuf in, int from, int end) {
    for (int i = from; i < end; i++) {
      byte b = in.getByte(i);
      if (b == '\n') {
        return -1;
      }
      if (b == '\r') {
        return i + 1 < end && in.getByte(i + 1) == '\n' ? i : -1;
      }
    }
    return -1;
  }

  private static Refusal requestLine(ByteBuf in, int start, int end) {
    int methodEnd = start;
    while (methodEnd < end && in.getByte(methodEnd) != ' ') {
      byte b = in.getByte(methodEnd);
      if (b < 0 || !TCHAR[b]) {
        return new Refusal(ProblemType.MALFORMED_REQUEST, "the request line must be: method SP target SP version");
      }
      methodEnd++;
    }
    int targetStart = methodEnd + 1;
    int targetEnd = targetStart;
    while (targetEnd < end && in.getByte(targetEnd) != ' ') {
      byte b = in.getByte(targetEnd);
      if ((b >= 0 && b <= 0x20) || b == 0x7F) {
        return new Refusal(ProblemType.MALFORMED_REQUEST, "the request target holds whitespace or a control character");
      }
      targetEnd++;
    }
    if (methodEnd == start || targetEnd == targetStart || targetEnd >= end) {
      return new Refusal(ProblemType.MALFORMED_REQUEST, "the request line must be: method SP target SP version");
    }
    int version = targetEnd + 1;
    if (end - version != 8 || !matches(in, version, "HTTP/") || !isDigit(in.getByte(version + 5))
        || in.getByte(version + 6) != '.' || !isDigit(in.getByte(version + 7))) {
      return new Refusal(ProblemType.MALFORMED_REQUEST, "the request line must end in HTTP/1.1 or HTTP/1.0");
    }
    if (in.getByte(version + 5) != '1' || (in.getByte(version + 7) != '0' && in.getByte(version + 7) != '1')) {
      return new Refusal(ProblemType.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.1 and HTTP/1.0 are served");
    }
    return null;
  }

  private static boolean isHost(ByteBuf in, int at) {
    return (in.getByte(at) | 0x20) == 'h' && (in.getByte(at + 1) | 0x20) == 'o' && (in.getByte(at + 2) | 0x20) == 's'
        && (in.getByte(at + 3) | 0x20) == 't';
  }

  private static String trimmed(ByteBuf in, int from, int to) {
    while (from < to && (in.getByte(from) == ' ' || in.getByte(from) == '\t')) {
      from++;
    }
    while (to > from && (in.getByte(to - 1) == ' ' || in.getByte(to - 1) == '\t')) {
      to--;
    }
    return in.toString(from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static boolean matches(ByteBuf in, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (in.getByte(at + i) != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static Refusal refused(ProblemType problem, String detail) {
    return new Refusal(problem, detail);
  }
}
