package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeedsFileTest {
  @Test
  void skipsBlankLinesAndCommentsAndKeepsLineNumbers() {
    String text =
        """
        # shop seeds
        https://shop.example.com/

           # indented comment
          http://example.org/a?b=c#top   # inline comment
        HTTPS://Example.com:8443/x\t#tabbed comment
        https://shop.example.com/
        """;

    assertThat(SeedsFile.parse(text, "seeds.txt"))
        .containsExactly(
            new Seed(2, "https://shop.example.com/"),
            new Seed(5, "http://example.org/a?b=c#top"),
            new Seed(6, "HTTPS://Example.com:8443/x"),
            new Seed(7, "https://shop.example.com/"));
  }

  @Test
  void readsCrlfLinesAndAByteOrderMark() {
    assertThat(SeedsFile.parse("\uFEFFhttp://a.com/\r\n\r\nhttp://b.com/\r\n", "seeds.txt"))
        .containsExactly(new Seed(1, "http://a.com/"), new Seed(3, "http://b.com/"));
  }

  @Test
  void refusesTheFirstBadLineWithItsNumber() {
    SeedException e =
        refused(() -> SeedsFile.parse("http://ok.com/\n\nhtp://x\nftp://also-bad/\n", "seeds.txt"));

    assertThat(e.file()).isEqualTo("seeds.txt");
    assertThat(e.lineNo()).isEqualTo(3);
    assertThat(e.text()).isEqualTo("htp://x");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "htp://x",
        "ftp://example.com/",
        "mailto:a@example.com",
        "example.com",
        "/relative/path",
        "http://",
        "http:///no-host",
        "http:no-host",
        "http://under_score.com/",
        "https://exa mple.com/",
        "http://example.com/a b",
        "http://example.com/<bad>",
        "garbage%zz"
      })
  void refusesWhatIsNotAnAbsoluteHttpUrlWithAHost(String url) {
    SeedException e = refused(() -> SeedsFile.parse("http://ok.com/\n" + url + "\n", "s.txt"));

    assertThat(e.lineNo()).isEqualTo(2);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "\n\n", "# only comments\n  # and more\n"})
  void refusesAFileWithNoSeeds(String text) {
    SeedException e = refused(() -> SeedsFile.parse(text, "seeds.txt"));

    assertThat(e.lineNo()).isZero();
    assertThat(e.file()).isEqualTo("seeds.txt");
  }

  @Test
  void readsAFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("seeds.txt"), "# UTF-8\nhttps://example.com/ü\n");

    assertThat(SeedsFile.read(file)).containsExactly(new Seed(2, "https://example.com/ü"));
  }

  @Test
  void refusesAMissingFile(@TempDir Path dir) {
    Path missing = dir.resolve("seeds.txt");

    SeedException e = refused(() -> SeedsFile.read(missing));

    assertThat(e.lineNo()).isZero();
    assertThat(e.file()).isEqualTo(missing.toString());
  }

  @Test
  void refusesADirectory(@TempDir Path dir) {
    assertThat(refused(() -> SeedsFile.read(dir)).lineNo()).isZero();
  }

  @Test
  void refusesAFileOverTheSizeCapNamingItAndTheCap(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("seeds.txt"), "http://a.com/\n".repeat(100));

    SeedException e = refused(() -> SeedsFile.read(file, 1024, 100));

    assertThat(e.lineNo()).isZero();
    assertThat(e.file()).isEqualTo(file.toString());
    assertThat(e.reason()).contains("1KB");
    assertThat(SeedsFile.read(file, 1400, 100)).hasSize(100);
  }

  @Test
  void refusesALineOverTheLengthCapWithItsNumber(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("seeds.txt"), "http://a.com/\nhttp://b.com/" + "x".repeat(100) + "\n");

    SeedException e = refused(() -> SeedsFile.read(file, 1024, 100));

    assertThat(e.lineNo()).isEqualTo(2);
    assertThat(e.reason()).contains("100 characters");
    assertThat(e.getMessage()).startsWith(file + ":2: is longer than 100");
    assertThat(SeedsFile.read(file, 1024, 113)).hasSize(2);
  }

  @Test
  void refusesAnEndlessFileWithoutReadingItAll() {
    Path endless = Path.of("/dev/zero");
    assumeTrue(Files.isReadable(endless), "needs /dev/zero");

    SeedException e = refused(() -> SeedsFile.read(endless));

    assertThat(e.lineNo()).isEqualTo(1);
    assertThat(e.reason()).contains(String.valueOf(SeedsFile.MAX_LINE_CHARS));
  }

  @Test
  void refusesAFileOfManyShortLinesOverTheDefaultCap(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("seeds.txt");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      String comment = "# " + "x".repeat(1021) + "\n";
      ByteBuffer comments = ByteBuffer.wrap(comment.repeat(1024).getBytes(StandardCharsets.US_ASCII));
      for (long written = 0; written <= SeedsFile.MAX_BYTES; written += comments.capacity()) {
        channel.write(comments.rewind());
      }
    }

    SeedException e = refused(() -> SeedsFile.read(file));

    assertThat(e.lineNo()).isZero();
    assertThat(e.reason()).contains("64MB");
  }

  @Test
  void showsControlCharactersOfABadLineEscaped() {
    SeedException e = refused(() -> SeedsFile.parse("http://a.com/\u001b]0;owned\u0007\n", "seeds.txt"));

    assertThat(e.getMessage()).doesNotContain("\u001b").contains("\\u001b]0;owned\\u0007");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http://crawler:hunter2@example.com/",
      "https://hunter2@example.com/a",
      "http://a:hunter2@b@example.com/",
      "http://example.com:hunter2@169.254.169.254/",
  })
  void refusesUserInfoWithoutRepeatingIt(String url) {
    SeedException e = refused(() -> SeedsFile.parse("http://ok.com/\n" + url + "\n", "seeds.txt"));

    assertThat(e.lineNo()).isEqualTo(2);
    assertThat(e.text()).startsWith(url.substring(0, url.indexOf("//") + 2) + "***@").doesNotContain("hunter2");
    assertThat(e.getMessage()).contains("user info").doesNotContain("hunter2");
  }

  @Test
  void takesAnAtSignInThePathForNoUserInfo() {
    assertThat(SeedsFile.parse("http://example.com/@user?to=a@b\n", "seeds.txt"))
        .containsExactly(new Seed(1, "http://example.com/@user?to=a@b"));
  }

  private static SeedException refused(ThrowingCallable read) {
    Throwable thrown = catchThrowable(read);
    assertThat(thrown).isInstanceOf(SeedException.class);
    return (SeedException) thrown;
  }
}
