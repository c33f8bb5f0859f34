package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PeerResetFilterTest {
  private final LoggerContext context = new LoggerContext();
  private final PeerResetFilter filter = new PeerResetFilter();

  @Test
  void dropsVertxsErrorForAConnectionResetByItsPeer() {
    assertThat(filter.decide(null, context.getLogger(PeerResetFilter.CONNECTION_LOGGER), Level.ERROR,
        "recvAddress(..) failed with error(-104): Connection reset by peer", null, null)).isEqualTo(FilterReply.DENY);
    assertThat(filter.decide(null, context.getLogger(PeerResetFilter.CONNECTION_LOGGER), Level.ERROR,
        "x", null, new IOException("recvAddress(..) failed: Connection reset by peer"))).isEqualTo(FilterReply.DENY);
  }

  @Test
  void keepsEveryOtherError() {
    assertThat(filter.decide(null, context.getLogger(PeerResetFilter.CONNECTION_LOGGER), Level.ERROR,
        "SSL handshake failed", null, null)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, context.getLogger("io.trawl.fetch.FetchVerticle"), Level.ERROR,
        "Connection reset by peer", null, null)).isEqualTo(FilterReply.NEUTRAL);
  }
}
