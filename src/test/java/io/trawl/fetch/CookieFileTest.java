package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.trawl.bus.CookieRecord;
import io.trawl.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Netscape cookie files as curl writes them: what becomes a cookie, and a bad line named by file and line. */
class CookieFileTest {
  private static final long NOW = 1_700_000_000_000L;

  @TempDir Path dir;

  @Test
  void readsCurlsFormat() throws Exception {
    Path file = dir.resolve("cookies.txt");
    Files.writeString(file, String.join("\n",
        "# Netscape HTTP Cookie File",
        "# https://curl.se/docs/http-cookies.html",
        "",
        ".example.com\tTRUE\t/\tFALSE\t0\tsession\tabc",
        "#HttpOnly_shop.example.com\tFALSE\t/cart\tTRUE\t1900000000\tsid\tx=y",
        "127.0.0.1\tFALSE\t/\tFALSE\t0\tempty\t",
        "old.example.com\tFALSE\t/\tFALSE\t1000\tgone\t1",
        ".co.uk\tTRUE\t/\tFALSE\t0\tsuffix\t1") + "\n");

    List<CookieRecord> cookies = CookieFile.read(file, NOW);

    assertThat(cookies).containsExactly(
        new CookieRecord("example.com", "/", "session", "abc", false, false, false, 0, NOW, NOW),
        new CookieRecord("shop.example.com", "/cart", "sid", "x=y", true, true, true, 1_900_000_000_000L, NOW, NOW),
        new CookieRecord("127.0.0.1", "/", "empty", "", true, false, false, 0, NOW, NOW));
  }

  @Test
  void namesTheFileAndLineOfABadLineButNotItsValue() throws Exception {
    Path file = dir.resolve("cookies.txt");
    Files.writeString(file, "# ok\n.example.com\tTRUE\t/\tFALSE\tsoon\tsid\tsecret-cookie-value\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> CookieFile.read(file, NOW));

    assertThat(e.keyPath()).isEqualTo("fetch.cookies_file");
    assertThat(e.got()).contains("cookies.txt line 2");
    assertThat(e).hasMessageNotContaining("secret-cookie-value");
    ConfigException missing = catchThrowableOfType(ConfigException.class, () -> CookieFile.read(dir.resolve("no.txt"), NOW));
    assertThat(missing.got()).contains("no such file");
  }
}
