package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** RFC 6265's storage and sending rules, the public suffixes, the caps and the changes handed to the store. */
class CookieJarTest {
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final CookieJar jar = new CookieJar(now::get);

  private void set(String url, String... headers) {
    jar.store(url, List.of(headers));
  }

  @Test
  void sendsAHostOnlyCookieBackToItsHostAlone() {
    set("http://shop.example.com/login", "sid=abc; Path=/");

    assertThat(jar.header("http://shop.example.com/cart")).isEqualTo("sid=abc");
    assertThat(jar.header("http://shop.example.com:8080/cart")).as("ports share cookies").isEqualTo("sid=abc");
    assertThat(jar.header("http://www.shop.example.com/")).isNull();
    assertThat(jar.header("http://example.com/")).isNull();
    assertThat(jar.header("http://127.0.0.1/")).isNull();
  }

  @Test
  void sendsADomainCookieToTheDomainAndItsSubdomains() {
    set("http://www.example.com/", "a=1; Domain=.Example.COM; Path=/");

    assertThat(jar.header("http://example.com/")).isEqualTo("a=1");
    assertThat(jar.header("http://deep.shop.example.com/x")).isEqualTo("a=1");
    assertThat(jar.header("http://notexample.com/")).isNull();
  }

  @Test
  void refusesADomainTheHostIsNotIn() {
    set("http://www.example.com/", "a=1; Domain=other.com", "b=2; Domain=shop.example.com");

    assertThat(jar.size()).isZero();
  }

  @Test
  void refusesAPublicSuffixAsDomain() {
    set("http://www.example.co.uk/", "a=1; Domain=co.uk", "b=2; Domain=.uk");
    set("http://me.github.io/", "c=3; Domain=github.io");
    set("http://www.example.co.uk/", "ok=1; Domain=example.co.uk");

    assertThat(jar.header("http://other.co.uk/")).isNull();
    assertThat(jar.header("http://you.github.io/")).isNull();
    assertThat(jar.header("http://shop.example.co.uk/")).isEqualTo("ok=1");
    assertThat(jar.size()).isEqualTo(1);
  }

  @Test
  void takesAPublicSuffixThatIsTheHostItselfAsHostOnly() {
    set("http://github.io/", "a=1; Domain=github.io");

    assertThat(jar.header("http://github.io/")).isEqualTo("a=1");
    assertThat(jar.header("http://me.github.io/")).isNull();
  }

  @Test
  void keepsTwoLoopbackAddressesApart() {
    set("http://127.0.0.1:8080/", "a=1", "b=2; Domain=127.0.0.2");

    assertThat(jar.header("http://127.0.0.1:9090/")).isEqualTo("a=1");
    assertThat(jar.header("http://127.0.0.2:8080/")).isNull();
    assertThat(jar.size()).isEqualTo(1);
  }

  @Test
  void scopesByPathWithTheDefaultPathOfTheRequest() {
    set("http://example.com/shop/cart/view", "deflt=1", "root=2; Path=/", "shop=3; Path=/shop", "bad=4; Path=relative");

    assertThat(jar.header("http://example.com/")).isEqualTo("root=2");
    assertThat(jar.header("http://example.com/shopping")).isEqualTo("root=2");
    assertThat(jar.header("http://example.com/shop")).isEqualTo("shop=3; root=2");
    assertThat(jar.header("http://example.com/shop/cart/x"))
        .as("longer paths first").isEqualTo("deflt=1; bad=4; shop=3; root=2");
  }

  @Test
  void sendsASecureCookieOverHttpsOnly() {
    set("http://example.com/", "s=1; Secure; HttpOnly", "p=2");

    assertThat(jar.header("http://example.com/")).isEqualTo("p=2");
    assertThat(jar.header("https://example.com/")).isEqualTo("s=1; p=2");
  }

  @Test
  void dropsACookieOnceItsMaxAgeHasPassed() {
    set("http://example.com/", "short=1; Max-Age=2", "long=2; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    assertThat(jar.header("http://example.com/")).isEqualTo("short=1; long=2");

    now.addAndGet(2_000);

    assertThat(jar.header("http://example.com/")).as("Max-Age wins over Expires").isEqualTo("long=2");
    assertThat(jar.drainChanges().removed()).extracting(CookieRecord::name).containsExactly("short");
  }

  @Test
  void deletesACookieSetAgainWithAnExpiryInThePast() {
    set("http://example.com/", "a=1", "b=2");
    set("http://example.com/", "a=gone; Max-Age=0", "b=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT");

    assertThat(jar.header("http://example.com/")).isNull();
    assertThat(jar.size()).isZero();
  }

  @Test
  void replacesACookieOfTheSameNameDomainAndPathKeepingItsCreationTime() {
    set("http://example.com/", "a=1; Path=/", "b=1; Path=/");
    now.addAndGet(1000);
    set("http://example.com/", "a=2; Path=/");

    assertThat(jar.header("http://example.com/")).as("a was created first").isEqualTo("a=2; b=1");
    assertThat(jar.size()).isEqualTo(2);
  }

  @Test
  void ignoresACookieOverFourKilobytes() {
    set("http://example.com/", "big=" + "x".repeat(CookieJar.MAX_COOKIE_BYTES));

    assertThat(jar.size()).isZero();
  }

  @Test
  void evictsTheLeastRecentlyUsedCookieOfAFullRegistrableDomain() {
    for (int i = 0; i < CookieJar.MAX_PER_DOMAIN; i++) {
      now.incrementAndGet();
      set("http://a.example.com/p" + i + "/x", "c" + i + "=" + i);
    }
    now.incrementAndGet();
    assertThat(jar.header("http://a.example.com/p0/x")).as("c0 used: now c1 is the least recently used").isEqualTo("c0=0");
    jar.drainChanges();

    now.incrementAndGet();
    set("http://b.example.com/", "other=1"); // b.example.com counts under example.com too

    assertThat(jar.size()).isEqualTo(CookieJar.MAX_PER_DOMAIN);
    assertThat(jar.drainChanges().removed()).extracting(CookieRecord::name).containsExactly("c1");
    assertThat(jar.header("http://b.example.com/")).isEqualTo("other=1");
    assertThat(jar.header("http://a.example.com/p0/x")).isEqualTo("c0=0");
  }

  @Test
  void keepsAtMostTheTotalCapAcrossDomainsDroppingTheOldest() {
    for (int i = 0; i <= CookieJar.MAX_TOTAL; i++) {
      now.incrementAndGet();
      set("http://host" + i + ".example" + i + ".org/", "c=" + i);
    }

    assertThat(jar.size()).isEqualTo(CookieJar.MAX_TOTAL);
    assertThat(jar.header("http://host0.example0.org/")).as("least recently used").isNull();
    assertThat(jar.header("http://host1.example1.org/")).isEqualTo("c=1");
    assertThat(jar.drainChanges().removed()).extracting(CookieRecord::domain).containsExactly("host0.example0.org");
  }

  @Test
  void handsEachChangeToTheStoreOnce() {
    set("http://example.com/", "a=1", "b=2");
    set("http://example.com/", "b=3", "a=x; Max-Age=0");

    CookieChanges first = jar.drainChanges();
    CookieChanges second = jar.drainChanges();

    assertThat(first.saved()).extracting(CookieRecord::name, CookieRecord::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("b", "3"));
    assertThat(first.removed()).extracting(CookieRecord::name).containsExactly("a");
    assertThat(second.isEmpty()).isTrue();
  }

  @Test
  void loadsKeptCookiesWithoutCountingThemAsChangesAndDropsExpiredOnes() {
    long t = now.get();
    jar.load(List.of(
        new CookieRecord("example.com", "/", "kept", "1", false, false, false, 0, t - 10, t - 10),
        new CookieRecord("example.com", "/", "old", "2", false, false, false, t - 1, t - 10, t - 10)));

    assertThat(jar.header("http://www.example.com/")).isEqualTo("kept=1");
    assertThat(jar.drainChanges().isEmpty()).isTrue();
  }

  @Test
  void neverShowsACookiesValueInToString() {
    set("http://example.com/", "sid=secret-session-value");

    assertThat(jar.drainChanges().toString()).doesNotContain("secret-session-value").contains("sid=***");
  }
}
