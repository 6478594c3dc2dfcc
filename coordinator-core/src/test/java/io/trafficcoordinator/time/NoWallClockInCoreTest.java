package io.trafficcoordinator.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Core reads time only through an injected {@link NanoClock}; this scan keeps it so. */
class NoWallClockInCoreTest {

  private static final Pattern FORBIDDEN =
      Pattern.compile("System\\.nanoTime\\(|System\\.currentTimeMillis\\(|Instant\\.now\\(|LocalDateTime\\.now\\(|Clock\\.systemUTC\\(");

  @Test
  void onlyTheSystemClockReadsTheJvmClock() throws IOException {
    Path sources = Path.of("src/main/java");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(sources)) {
      offenders = files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.endsWith(Path.of("io/trafficcoordinator/time/SystemNanoClock.java")))
          .filter(p -> {
            try {
              return FORBIDDEN.matcher(Files.readString(p)).find();
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          })
          .map(Path::toString)
          .collect(Collectors.toList());
    }

    assertThat(offenders).isEmpty();
  }
}
