package io.trafficcoordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Canonical base64url: exactly the JDK's unpadded URL encoding of some bytes, and nothing else. */
class TokenShapeTest {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @Property(tries = 300)
  void theEncodingOfAnyBytesIsCanonicalAndNoOtherSpellingIs(@ForAll @Size(min = 1, max = 64) byte[] bytes) {
    String canonical = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    assertThat(TokenShape.isCanonicalBase64Url(canonical)).isTrue();

    String padded = Base64.getUrlEncoder().encodeToString(bytes);
    assertThat(TokenShape.isCanonicalBase64Url(padded)).isEqualTo(padded.equals(canonical));
    String standard = Base64.getEncoder().withoutPadding().encodeToString(bytes);
    assertThat(TokenShape.isCanonicalBase64Url(standard)).isEqualTo(standard.equals(canonical));
    if (bytes.length % 3 != 0) {
      // The last character carries unused bits; setting the lowest gives a second spelling.
      char last = canonical.charAt(canonical.length() - 1);
      String stray = canonical.substring(0, canonical.length() - 1) + ALPHABET.charAt(ALPHABET.indexOf(last) | 1);
      assertThat(TokenShape.isCanonicalBase64Url(stray)).isFalse();
    }
  }

  @Example
  void aLengthNoEncodingProducesIsRefused() {
    assertThat(TokenShape.isCanonicalBase64Url("a")).isFalse();
    assertThat(TokenShape.isCanonicalBase64Url("abcde")).isFalse();
    assertThat(TokenShape.isCanonicalBase64Url("abcd")).isTrue();
    assertThat(TokenShape.isCanonicalBase64Url("ab c")).isFalse();
  }
}
