package io.trawl.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/: the compose file, Prometheus' and Grafana's files parse and agree with each other
 * (no Docker engine here to run them). That the dashboard's metrics exist is MetricsIT's check.
 */
class DockerFilesTest {
  static final Path DASHBOARD = Path.of("docker/grafana/dashboards/trawl.json");
  private static final Pattern METRIC = Pattern.compile("\\b((?:trawl|vertx|jvm|process)_[a-z0-9_]+)\\{");

  @Test
  void composeWiresTrawlsMetricsToPrometheusAndPrometheusToGrafana() throws Exception {
    Map<String, Object> compose = yaml("docker/compose.yaml");
    Map<String, Object> services = map(compose.get("services"));
    assertThat(services).containsKeys("trawl", "prometheus", "grafana");
    List<Object> command = list(map(services.get("trawl")).get("command"));
    assertThat(command).contains("crawl.metrics=0.0.0.0:9464");
    Map<String, Object> prometheus = yaml("docker/prometheus.yml");
    Map<String, Object> job = map(((List<?>) prometheus.get("scrape_configs")).get(0));
    assertThat(job.get("metrics_path")).isEqualTo("/metrics");
    assertThat(map(((List<?>) job.get("static_configs")).get(0)).get("targets")).isEqualTo(List.of("trawl:9464"));
    Map<String, Object> source = map(((List<?>) yaml("docker/grafana/provisioning/datasources/prometheus.yml")
        .get("datasources")).get(0));
    assertThat(source.get("url")).isEqualTo("http://prometheus:9090");
    for (Object port : (List<?>) map(services.get("trawl")).get("ports")) {
      assertThat(port.toString()).as("published on loopback only").startsWith("127.0.0.1:");
    }
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    for (Object panel : dashboard.getJsonArray("panels")) {
      JsonObject p = (JsonObject) panel;
      if (p.containsKey("datasource")) {
        assertThat(p.getJsonObject("datasource").getString("uid")).as(p.getString("title")).isEqualTo(source.get("uid"));
      }
    }
    assertThat(metricsOfDashboard()).contains("trawl_pages_total", "trawl_stage_seconds_bucket", "jvm_memory_used_bytes",
        "vertx_pool_completed_total");
  }

  @Test
  void theClusterComposeRunsThreeNodesOnOneDatabaseEachNamedAsTheOthersListIt() throws Exception {
    Map<String, Object> services = map(yaml("docker/compose.cluster.yaml").get("services"));
    List<String> nodes = List.of("node1", "node2", "node3");
    assertThat(services).containsOnlyKeys("postgres", "node1", "node2", "node3");
    Map<String, Object> postgres = map(services.get("postgres"));
    String password = (String) map(postgres.get("environment")).get("POSTGRES_PASSWORD");
    String db = "postgresql://" + map(postgres.get("environment")).get("POSTGRES_USER") + "@postgres:5432/"
        + map(postgres.get("environment")).get("POSTGRES_DB");
    for (String node : nodes) {
      Map<String, Object> service = map(services.get(node));
      List<Object> command = list(service.get("command"));
      assertThat(command).as(node).startsWith("crawl", "--cluster")
          .containsSubsequence("--db", db)
          .contains("cluster.host=" + node, "cluster.members=" + String.join(",", nodes.stream().map(n -> n + ":5701")
              .toList()));
      assertThat(map(service.get("environment")).get("PGPASSWORD")).as(node).isEqualTo(password);
      assertThat(map(map(service.get("depends_on")).get("postgres")).get("condition")).isEqualTo("service_healthy");
      assertThat(service).as(node).doesNotContainKey("ports");
    }
    for (Object port : (List<?>) postgres.get("ports")) {
      assertThat(port.toString()).as("published on loopback only").startsWith("127.0.0.1:");
    }
  }

  /** The metric names the Grafana dashboard's queries read. */
  static Set<String> metricsOfDashboard() throws Exception {
    Set<String> names = new TreeSet<>();
    for (Object panel : new JsonObject(Files.readString(DASHBOARD)).getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) panel).getJsonArray("targets", new JsonArray());
      for (Object target : targets) {
        Matcher m = METRIC.matcher(((JsonObject) target).getString("expr"));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  private static Map<String, Object> yaml(String file) throws Exception {
    return new Yaml().load(Files.readString(Path.of(file)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
