package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MemoryBodyTest {
  private static Buffer text(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(MemoryBody body) {
    return new String(body.bytesRead(), StandardCharsets.UTF_8);
  }

  @Test
  void keepsABodyOfTheAnnouncedLengthInOrder() {
    MemoryBody body = new MemoryBody(1_000_000, 2_000);
    String half = "a".repeat(999) + "b";

    assertThat(body.append(text(half))).isTrue();
    assertThat(body.append(text(half))).isTrue();

    assertThat(read(body)).isEqualTo(half + half);
    assertThat(body.bytes()).isEqualTo(2_000);
  }

  @Test
  void growsPastALengthThatWasNotAnnouncedOrWasTooShort() {
    MemoryBody unannounced = new MemoryBody(1_000_000, -1);
    MemoryBody understated = new MemoryBody(1_000_000, 10);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      String chunk = "chunk " + i + ";";
      expected.append(chunk);
      assertThat(unannounced.append(text(chunk))).isTrue();
      assertThat(understated.append(text(chunk))).isTrue();
    }

    assertThat(read(unannounced)).isEqualTo(expected.toString());
    assertThat(read(understated)).isEqualTo(expected.toString());
  }

  @Test
  void refusesAChunkThatWouldPassTheCapKeepingWhatCameBefore() {
    MemoryBody body = new MemoryBody(1_500, -1);

    assertThat(body.append(text("x".repeat(1_000)))).isTrue();
    assertThat(body.append(text("y".repeat(501)))).isFalse();
    assertThat(body.append(text("z".repeat(500)))).isTrue();

    assertThat(read(body)).isEqualTo("x".repeat(1_000) + "z".repeat(500));
  }

  @Test
  void keepsOnlyThePrefixUnderTheCap() {
    MemoryBody body = new MemoryBody(1_500, -1);

    body.appendPrefix(text("x".repeat(1_000)));
    body.appendPrefix(text("y".repeat(1_000)));
    body.appendPrefix(text("z"));

    assertThat(read(body)).isEqualTo("x".repeat(1_000) + "y".repeat(500));
  }

  @Test
  void givesAnEmptyBodyForNoChunks() {
    assertThat(new MemoryBody(1_000, 0).bytesRead()).isEmpty();
  }
}
