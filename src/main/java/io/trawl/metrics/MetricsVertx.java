package io.trawl.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.UUID;

/**
 * Builds the Vert.x instance of a crawl. With Prometheus metrics on, Vert.x reports its own (HTTP
 * client and server, worker pools) and the JVM's (memory, GC, threads, CPU) into the crawl's
 * registry, beside trawl's. Vert.x's labels are left at {@code vertx-micrometer-metrics}' defaults
 * (HTTP method and code, pool type and name), which name no host or URL, so their count stays
 * bounded. Its event-bus meters are off: a page crosses the bus about a dozen times, and counting
 * each message cost 7-11 % more CPU per page in {@code trawl bench --metrics}, against 1 % for
 * everything else together (BENCHMARKS.md). Main thread.
 */
public final class MetricsVertx {
  private MetricsVertx() {}

  /**
   * @param options the crawl's Vert.x options
   * @param metrics the crawl's metrics
   * @param withVertxMetrics whether Vert.x and the JVM report into {@code metrics}' registry
   *     (for {@code crawl.metrics}; the dashboard alone needs only trawl's meters)
   */
  public static Vertx create(VertxOptions options, CrawlMetrics metrics, boolean withVertxMetrics) {
    if (!metrics.isOn() || !withVertxMetrics) {
      return Vertx.vertx(options);
    }
    MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Each crawl's own name: Vert.x keeps registries by name in a static map, and closing the
        // instance drops its entry, so two crawls in one JVM (tests, the bench) never share one.
        .setRegistryName("trawl-" + UUID.randomUUID())
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    return Vertx.builder()
        .with(new VertxOptions(options).setMetricsOptions(metricsOptions))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .build();
  }
}
