package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.trawl.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On the platforms whose epoll file the jar bundles, a crawl runs on Netty's native transport,
 * and so do the tests' own Vert.x instances (surefire's VERTX_PARAMETER_FILENAME): a missing or
 * broken native file would otherwise pass unnoticed as the NIO fallback.
 */
@ExtendWith(VertxExtension.class)
class NativeTransportTest {
  @BeforeEach
  void onlyWhereTheJarBundlesEpoll() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    assumeTrue(os.contains("linux") && Set.of("amd64", "x86_64", "aarch64").contains(arch), os + " " + arch);
  }

  @Test
  void aCrawlsVertxUsesEpoll() {
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      assertThat(vertx.isNativeTransportEnabled()).as(String.valueOf(vertx.unavailableNativeTransportCause())).isTrue();
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void theTestsVertxUsesEpollToo(Vertx vertx) {
    assertThat(vertx.isNativeTransportEnabled()).as(String.valueOf(vertx.unavailableNativeTransportCause())).isTrue();
  }
}
