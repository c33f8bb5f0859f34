package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The robots cache's bounds (hosts, weight), its order (least recently used out) and expiry, without Vert.x. */
class RobotsCacheTest {
  private final List<String> evicted = new ArrayList<>();
  private long nowMs = 1_000;

  private RobotsCache<String> cache(int maxEntries, long maxWeightBytes) {
    return new RobotsCache<>(maxEntries, maxWeightBytes, () -> nowMs, evicted::add);
  }

  @Test
  void dropsTheLeastRecentlyUsedHostPastMaxEntries() {
    RobotsCache<String> cache = cache(2, 1_000);
    cache.put("a", "A", 1, RobotsCache.NEVER);
    cache.put("b", "B", 1, RobotsCache.NEVER);
    assertThat(cache.get("a")).isEqualTo("A"); // b is now the least recently used

    cache.put("c", "C", 1, RobotsCache.NEVER);

    assertThat(evicted).containsExactly("b");
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo("A");
    assertThat(cache.get("c")).isEqualTo("C");
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void dropsLeastRecentlyUsedHostsUntilTheWeightFits() {
    RobotsCache<String> cache = cache(100, 1_000);
    cache.put("a", "A", 400, RobotsCache.NEVER);
    cache.put("b", "B", 400, RobotsCache.NEVER);
    cache.put("c", "C", 100, RobotsCache.NEVER);
    assertThat(cache.weightBytes()).isEqualTo(900);

    cache.put("d", "D", 700, RobotsCache.NEVER);

    assertThat(evicted).containsExactly("a", "b");
    assertThat(cache.weightBytes()).isEqualTo(800);
    assertThat(cache.get("c")).isEqualTo("C");
  }

  @Test
  void keepsAHostHeavierThanTheWholeBoundAlone() {
    RobotsCache<String> cache = cache(100, 1_000);
    cache.put("a", "A", 10, RobotsCache.NEVER);

    cache.put("huge", "H", 5_000, RobotsCache.NEVER);

    assertThat(evicted).containsExactly("a");
    assertThat(cache.get("huge")).isEqualTo("H");
    assertThat(cache.weightBytes()).isEqualTo(5_000);
  }

  @Test
  void replacingAnEntryCountsOnlyItsNewWeight() {
    RobotsCache<String> cache = cache(100, 1_000);
    cache.put("a", "pending", 10, RobotsCache.NEVER);

    cache.put("a", "read", 600, RobotsCache.NEVER);

    assertThat(cache.weightBytes()).isEqualTo(600);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(evicted).isEmpty();
  }

  @Test
  void anExpiredEntryIsGone() {
    RobotsCache<String> cache = cache(100, 1_000);
    cache.put("a", "A", 100, nowMs + 500);

    nowMs += 499;
    assertThat(cache.get("a")).isEqualTo("A");
    nowMs += 1;
    assertThat(cache.get("a")).isNull();

    assertThat(evicted).containsExactly("a");
    assertThat(cache.weightBytes()).isZero();
    assertThat(cache.size()).isZero();
  }

  @Test
  void refusesBoundsWithNoRoom() {
    assertThatThrownBy(() -> cache(0, 1_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void weighsParsedRulesByTheirPaths() {
    StringBuilder robots = new StringBuilder("User-agent: *\nSitemap: http://h/sitemap.xml\n");
    for (int i = 0; i < 10_000; i++) {
      robots.append("Disallow: /private/section-").append(i).append("/page\n");
    }
    SimpleRobotRules rules = new SimpleRobotRulesParser().parseContent("http://h/robots.txt",
        robots.toString().getBytes(StandardCharsets.US_ASCII), "text/plain", List.of("trawl"));

    long weight = RobotsVerticle.weightBytes(rules);

    // 10,000 rules of 24-28 characters, about 80 bytes of objects each, and one sitemap.
    assertThat(rules.getRobotRules()).hasSize(10_000);
    assertThat(weight).isBetween(10_000L * (80 + 24), 10_000L * (80 + 28) + 1_000);
  }
}
