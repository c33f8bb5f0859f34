package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import io.trawl.bus.RobotsAnswer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownRobotsTest {
  private static SimpleRobotRules rules(String origin, String robotsTxt) {
    return new SimpleRobotRulesParser(Long.MAX_VALUE, 10).parseContent(origin + "/robots.txt",
        robotsTxt.getBytes(StandardCharsets.US_ASCII), "text/plain", List.of("trawl"));
  }

  @Test
  void readsTheCrawlDelayAsTheAnswerHoldsItWithoutMatchingTheUrl() {
    KnownRobots known = new KnownRobots();
    assertThat(known.crawlDelayMs("http://slow.example/")).isEqualTo(-1);
    known.put("http://slow.example", rules("http://slow.example", "User-agent: *\nCrawl-delay: 3\nDisallow: /private\n"));
    known.put("http://slow.example:8080", rules("http://slow.example:8080", "User-agent: *\nCrawl-delay: 600\n"));
    known.put("https://plain.example", rules("https://plain.example", "User-agent: *\nDisallow: /x\n"));

    for (String url : List.of("http://slow.example/", "http://slow.example/private/a?b", "http://slow.example:8080/a",
        "https://plain.example/x", "https://plain.example/y", "http://other.example/", "http://slow.example/a|b",
        "not a url")) {
      RobotsAnswer answer = known.answer(url);
      assertThat(known.crawlDelayMs(url)).as(url).isEqualTo(answer == null ? -1 : answer.crawlDelayMs());
    }
    assertThat(known.crawlDelayMs("http://slow.example/private/a")).isEqualTo(3_000);
    assertThat(known.answer("http://slow.example/private/a").verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
    assertThat(known.crawlDelayMs("http://slow.example:8080/")).isEqualTo(KnownRobots.MAX_CRAWL_DELAY_MS);
    assertThat(known.crawlDelayMs("https://plain.example/")).isZero();
  }
}
