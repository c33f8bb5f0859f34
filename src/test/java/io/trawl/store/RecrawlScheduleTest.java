package io.trawl.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.PageChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The adaptive schedule moves a page's interval as the README's Recrawling section says, on a fixed clock. */
class RecrawlScheduleTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final long DAY = Duration.ofDays(1).toMillis();

  private final RecrawlSchedule schedule = new RecrawlSchedule(defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aFirstFetchWaitsTheConfiguredIntervalFromNow() {
    RecrawlSchedule.Next next = schedule.after(PageChange.NEW, 0);

    assertThat(next.intervalMs()).isEqualTo(DAY);
    assertThat(next.dueAtMs()).isEqualTo(NOW.toEpochMilli() + DAY);
  }

  @Test
  void aChangedPageComesSoonerByTheChangedFactor() {
    assertThat(schedule.after(PageChange.CHANGED, DAY).intervalMs()).isEqualTo(Math.round(DAY * 0.8));
    assertThat(schedule.after(PageChange.CHANGED, 0).intervalMs()).as("none yet: from recrawl.interval")
        .isEqualTo(Math.round(DAY * 0.8));
  }

  @Test
  void anUnchangedOrGonePageWaitsLongerByTheUnchangedFactor() {
    assertThat(schedule.after(PageChange.UNCHANGED, DAY).intervalMs()).isEqualTo(Math.round(DAY * 1.4));
    assertThat(schedule.after(PageChange.GONE, DAY).intervalMs()).isEqualTo(Math.round(DAY * 1.4));
    assertThat(schedule.after(PageChange.UNCHANGED, DAY).dueAtMs()).isEqualTo(NOW.toEpochMilli() + Math.round(DAY * 1.4));
  }

  @Test
  void aFailedFetchLeavesTheIntervalAsItWas() {
    assertThat(schedule.after(PageChange.FAILED, 3 * DAY).intervalMs()).isEqualTo(3 * DAY);
    assertThat(schedule.after(PageChange.FAILED, 0).intervalMs()).isEqualTo(DAY);
  }

  @Test
  void stopsAtTheMinimumAndTheMaximum() {
    long interval = DAY;
    for (int i = 0; i < 30; i++) {
      interval = schedule.after(PageChange.CHANGED, interval).intervalMs();
    }
    assertThat(interval).isEqualTo(HOUR);
    for (int i = 0; i < 30; i++) {
      interval = schedule.after(PageChange.UNCHANGED, interval).intervalMs();
    }
    assertThat(interval).isEqualTo(30 * DAY);
    assertThat(schedule.after(PageChange.UNCHANGED, interval).dueAtMs()).isEqualTo(NOW.toEpochMilli() + 30 * DAY);
  }

  @Test
  void aFixedScheduleWhenBothFactorsAreOne() {
    TrawlConfig config = ConfigLoader.load(null, Map.of("recrawl.changed_factor", "1", "recrawl.unchanged_factor", "1",
        "recrawl.interval", "6h"));
    RecrawlSchedule fixed = new RecrawlSchedule(config.recrawl(), Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(fixed.after(PageChange.CHANGED, 6 * HOUR).intervalMs()).isEqualTo(6 * HOUR);
    assertThat(fixed.after(PageChange.UNCHANGED, 6 * HOUR).intervalMs()).isEqualTo(6 * HOUR);
  }

  @Test
  void aSitemapChangeFrequencyIsHeldWithinTheBounds() {
    assertThat(schedule.fromChangeFrequency(Duration.ofDays(7))).isEqualTo(7 * DAY);
    assertThat(schedule.fromChangeFrequency(Duration.ZERO)).as("always").isEqualTo(HOUR);
    assertThat(schedule.fromChangeFrequency(Duration.ofDays(365))).as("yearly").isEqualTo(30 * DAY);
  }

  @Test
  void theDueTimeFollowsTheClock() {
    Clock later = Clock.fixed(NOW.plus(Duration.ofHours(5)), ZoneOffset.UTC);

    assertThat(new RecrawlSchedule(defaults(), later).after(PageChange.NEW, 0).dueAtMs())
        .isEqualTo(NOW.toEpochMilli() + 5 * HOUR + DAY);
  }

  private static TrawlConfig.Recrawl defaults() {
    return ConfigLoader.defaults().recrawl();
  }
}
