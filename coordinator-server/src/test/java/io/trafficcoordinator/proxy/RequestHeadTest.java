package io.trafficcoordinator.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The head rules on their own, over heads assembled from the pieces parsers disagree about: they
 * never throw, and a head they let through is one Netty's own decoder reads as a request, unless
 * it refuses its framing headers, which are the decoder's to judge: so nothing the decoder would
 * refuse for its syntax ever depends on the decoder alone.
 */
class RequestHeadTest {

  private static final List<String> PIECES = List.of("GET", "POST", " ", "  ", "\t", "/", "/a", "?q=1", "HTTP/1.1",
      "HTTP/1.0", "HTTP/1.2", "\r\n", "\n", "\r", "Host", "host", ": ", ":", "x", "x:80", "[::1]", "_", "X-A", "a b",
      "\u0000", "\u007f", "Content-Length: 0", "Transfer-Encoding: chunked", "(", ",");

  @Property(tries = 3000)
  void whatPassesIsReadByNettyAsOneRequest(@ForAll("heads") String text) {
    ByteBuf in = Unpooled.copiedBuffer(text + "\r\n\r\n", StandardCharsets.ISO_8859_1);
    try {
      int end = RequestHead.end(in, 0, 0, in.writerIndex());
      if (end <= 0) {
        return;
      }
      RequestHead.Refusal refusal = RequestHead.check(in, 0, end, 100, false);
      if (refusal != null) {
        assertThat(refusal.detail()).isNotBlank();
        return;
      }
      EmbeddedChannel netty = new EmbeddedChannel(new HttpRequestDecoder());
      netty.writeInbound(in.retainedSlice(0, end));
      Object first = netty.readInbound();
      try {
        assertThat(first).isInstanceOf(HttpRequest.class);
        if (!((HttpRequest) first).decoderResult().isSuccess()) {
          // Framing is the decoder's to judge (its values, their agreement): anything else it refuses, we must.
          assertThat(text.toLowerCase(java.util.Locale.ROOT)).as("Netty refuses %s", text.replace("\r", "\\r")
              .replace("\n", "\\n")).containsAnyOf("content-length", "transfer-encoding");
        }
      } finally {
        ReferenceCountUtil.release(first);
        for (Object rest; (rest = netty.readInbound()) != null; ) {
          ReferenceCountUtil.release(rest);
        }
        netty.finishAndReleaseAll();
      }
    } finally {
      in.release();
    }
  }

  @Provide
  Arbitrary<String> heads() {
    Arbitrary<String> structured = Arbitraries.of(PIECES).list().ofMinSize(3).ofMaxSize(14).map(pieces -> String.join("", pieces));
    Arbitrary<String> plausible = Arbitraries.of(PIECES).list().ofMaxSize(6)
        .map(extra -> "GET /a HTTP/1.1\r\nHost: x\r\n" + String.join("", extra));
    return Arbitraries.oneOf(structured, plausible);
  }
}
