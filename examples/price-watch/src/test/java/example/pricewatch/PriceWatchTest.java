package example.pricewatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.trawl.api.CrawlSummary;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example against a small shop served on 127.0.0.1 by the JDK's own HTTP server: the page
 * handler walks the listing pages and the product links only, the sink writes one JSON line per
 * product, the request hook's header reaches the server, and the SQLite file has a row per SKU.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PriceWatchTest {
  @TempDir Path dir;
  private HttpServer server;
  private final Set<String> requested = ConcurrentHashMap.newKeySet();
  private final Set<String> languages = ConcurrentHashMap.newKeySet();

  private static final Map<String, String> SITE = Map.of(
      "/robots.txt", "User-agent: *\nDisallow: /cart\n",
      "/", listing("<a class=\"product\" href=\"/p/anvil\">Anvil</a> <a class=\"product\" href=\"/p/rope\">Rope</a>"
          + " <a href=\"/about\">About us</a> <a href=\"/cart\">Cart</a> <a rel=\"next\" href=\"/page-2\">next</a>"),
      "/page-2", listing("<a class=\"product\" href=\"/p/magnet\">Magnet</a> <a class=\"product\" href=\"/p/anvil\">Anvil</a>"),
      "/p/anvil", product("ACME-1", "Anvil", "129.95"),
      "/p/rope", product("ACME-2", "Rope", "7.50"),
      "/p/magnet", product("ACME-3", "Magnet", "12.00"),
      "/about", "<title>about</title>");

  private static String listing(String links) {
    return "<html><title>Shop</title><body>" + links + "</body></html>";
  }

  private static String product(String sku, String name, String price) {
    return """
        <html><title>%2$s</title><body><div itemscope itemtype="https://schema.org/Product">
        <h1 itemprop="name">%2$s</h1><meta itemprop="sku" content="%1$s">
        <span itemprop="offers" itemscope itemtype="https://schema.org/Offer">
        <span itemprop="price" content="%3$s">%3$s €</span></span>
        <a href="/p/related">related</a></div></body></html>""".formatted(sku, name, price);
  }

  @BeforeEach
  void serveTheShop() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requested.add(path);
      String language = exchange.getRequestHeaders().getFirst("Accept-Language");
      if (language != null) {
        languages.add(language);
      }
      String body = SITE.get(path);
      byte[] bytes = (body == null ? "<title>missing</title>" : body).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", path.endsWith(".txt") ? "text/plain" : "text/html; charset=utf-8");
      exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopTheShop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void walksTheShopWithTheHandlerAndWritesEveryPriceThroughTheSink() throws Exception {
    Path out = dir.resolve("prices.jsonl");
    Path db = dir.resolve("prices.db");

    CrawlSummary summary = PriceWatch.watch(url("/"), out, db);

    assertEquals("finished", summary.outcome());
    // Only the listing pages and the products were walked: not /about, /cart or the related links.
    assertEquals(Set.of("/robots.txt", "/", "/page-2", "/p/anvil", "/p/rope", "/p/magnet"), requested);
    assertEquals(Set.of("en"), languages);
    Map<String, JsonObject> lines = Files.readAllLines(out).stream().map(JsonObject::new)
        .collect(Collectors.toMap(line -> line.getString("sku"), line -> line));
    assertEquals(Set.of("ACME-1", "ACME-2", "ACME-3"), lines.keySet());
    assertEquals(12995L, lines.get("ACME-1").getLong("price_cents"));
    assertEquals(url("/p/magnet"), lines.get("ACME-3").getString("url"));
    // The items are in the crawl's SQLite file too, keyed by SKU.
    assertEquals(List.of("ACME-1|prices", "ACME-2|prices", "ACME-3|prices"), keys(db));
  }

  private static List<String> keys(Path db) throws Exception {
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT item_key, rule FROM items ORDER BY item_key")) {
      List<String> keys = new ArrayList<>();
      while (rs.next()) {
        keys.add(rs.getString(1) + "|" + rs.getString(2));
      }
      return keys;
    }
  }
}
