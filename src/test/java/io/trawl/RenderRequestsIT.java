package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.api.CrawlSummary;
import io.trawl.api.Trawl;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.SharedChromium;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rendered page's requests, its own document and the JSON its script fetches, go out as a plain
 * fetch's would: {@code fetch.headers}, the host's {@code hosts:} headers and auth, the crawl's
 * cookies and the Java API's request hook, seen by the server; the cookie the rendered document
 * sets is kept in the crawl's jar (its {@code cookies} table). In the shared headless Chromium.
 */
@ExtendWith(SharedChromium.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RenderRequestsIT {
  private static final String SHELL = """
      <!DOCTYPE html><html><head><title>app</title></head><body><div id="app">loading</div>
      <script>
        fetch('/api/data.json').then(r => r.json()).then(d => {
          document.getElementById('app').innerHTML = '<div class="done">' + d.name + '</div>';
        });
      </script></body></html>""";

  /** A request as the server saw it: its path and headers. */
  private record Seen(String path, MultiMap headers) {}

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start()
        .route("/app", req -> {
          record(req);
          req.response().putHeader("content-type", "text/html; charset=utf-8")
              .putHeader("set-cookie", "rendered=yes; Path=/")
              .end(SHELL);
        })
        .route("/api/data.json", req -> {
          record(req);
          req.response().putHeader("content-type", "application/json").end("{\"name\": \"widget\"}");
        });
  }

  private void record(HttpServerRequest req) {
    seen.add(new Seen(req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void theBrowserSendsTheCrawlsHeadersAuthCookiesAndHookHeaders(SharedChromium.Endpoint chromium) throws Exception {
    Path db = dir.resolve("trawl.db");
    Path jar = Files.writeString(dir.resolve("jar.txt"), "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc\n");
    CrawlSummary summary = Trawl.builder()
        .configYaml("""
            fetch:
              per_host_rate: 1000/s
              respect_robots: false
              headers: {Accept-Language: xx-test}
              cookies_file: '%s'
            hosts:
              127.0.0.1:
                user_agent: per-host-agent
                headers: {X-Host-Header: host-value}
                auth: {bearer: sekrit-token}
            render:
              browser: '%s'
              urls: ['/app']
              wait_for: div.done
            rules:
              - name: app
                url: '/app'
                fields: {name: div.done}
            """.formatted(jar, chromium.url()))
        .set("crawl.db", db.toString())
        .seeds(site.url("/app"))
        .requestHook(url -> url.endsWith(".json") ? Map.of("X-Hook", "for-json") : Map.of("X-Hook", "for-page"))
        .build().run();

    assertThat(summary.outcome()).isEqualTo("finished");
    assertThat(Db.rows(db, "SELECT rendered, error FROM pages")).singleElement()
        .satisfies(row -> assertThat(row).containsEntry("rendered", "urls").containsEntry("error", null));
    assertThat(Db.count(db, "SELECT count(*) FROM items WHERE json_extract(data, '$.name') = 'widget'")).isEqualTo(1);
    assertThat(seen).extracting(Seen::path).containsExactly("/app", "/api/data.json");
    for (Seen request : seen) {
      MultiMap headers = request.headers();
      assertThat(headers.get("Accept-Language")).as(request.path()).isEqualTo("xx-test");
      assertThat(headers.get("X-Host-Header")).as(request.path()).isEqualTo("host-value");
      assertThat(headers.get("Authorization")).as(request.path()).isEqualTo("Bearer sekrit-token");
      assertThat(headers.get("User-Agent")).as(request.path()).isEqualTo("per-host-agent");
      assertThat(headers.get("Cookie")).as(request.path()).contains("session=abc");
    }
    assertThat(seen.get(0).headers().get("X-Hook")).isEqualTo("for-page");
    assertThat(seen.get(1).headers().get("X-Hook")).isEqualTo("for-json");
    assertThat(Db.count(db, "SELECT count(*) FROM cookies WHERE name = 'rendered' AND value = 'yes'")).isEqualTo(1);
  }
}
