package io.trawl.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Vert.x's ERROR line for a connection its peer reset when no handler of ours owned the
 * connection: in cluster mode, the event-bus link to a node that was killed ("recvAddress(..)
 * failed with error(-104): Connection reset by peer"). The loss is already reported where it
 * means something ("cluster node gone", a page's {@code connect} error), so the line only alarmed.
 * Any other error of that logger still shows. Runs on whatever thread logs.
 */
public final class PeerResetFilter extends TurboFilter {
  static final String CONNECTION_LOGGER = "io.vertx.core.net.impl.ConnectionBase";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.ERROR || !CONNECTION_LOGGER.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    String text = t != null ? t.getMessage() : format;
    return text != null && text.contains("Connection reset by peer") ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
