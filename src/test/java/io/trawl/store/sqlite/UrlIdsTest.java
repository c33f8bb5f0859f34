package io.trawl.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UrlIdsTest {
  @Test
  void answersAsAMapDoesForUrlsOfOneShapeAndForEqualHashCodes() {
    UrlIds ids = new UrlIds(5_000);
    Map<String, Long> expected = new HashMap<>();
    Random random = new Random(3);
    for (int i = 0; i < 4_000; i++) {
      String url = "http://127.0.0.1:8080/page/" + random.nextInt(20_000);
      expected.put(url, (long) i + 1);
      ids.put(url, i + 1);
    }
    // "Aa" and "BB" have the same hash code.
    ids.put("http://h/Aa", 7_001);
    ids.put("http://h/BB", 7_002);
    expected.put("http://h/Aa", 7_001L);
    expected.put("http://h/BB", 7_002L);

    expected.forEach((url, id) -> assertThat(ids.get(url)).as(url).isEqualTo(id));
    assertThat(ids.get("http://h/CC")).isZero();
    assertThat(ids.get("http://127.0.0.1:8080/page/20000")).isZero();
    assertThat(ids.size()).isEqualTo(expected.size());
  }

  @Test
  void holdsNoMoreThanItsSizeAndNothingOnceCleared() {
    UrlIds ids = new UrlIds(2);
    ids.put("http://h/a", 1);
    ids.put("http://h/b", 2);
    ids.put("http://h/c", 3);

    assertThat(ids.fits(1)).isFalse();
    assertThat(ids.get("http://h/c")).as("beyond its size").isZero();
    assertThat(ids.get("http://h/b")).isEqualTo(2);
    ids.clear();
    assertThat(ids.get("http://h/a")).isZero();
    assertThat(ids.fits(2)).isTrue();
    assertThat(new UrlIds(0).fits(1)).isFalse();
  }
}
