package io.trawl.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus endpoint, parsed into samples; read on the test's own thread. */
record PrometheusText(List<Sample> samples) {
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** GETs {@code url} and parses it; fails unless it answers 200 in Prometheus' text format. */
  static PrometheusText scrape(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.headers().firstValue("content-type").orElse("").startsWith("text/plain")) {
        throw new AssertionError(url + " answered " + response.statusCode() + " " + response.headers());
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new AssertionError(url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return new PrometheusText(samples);
  }

  /** The sum of every sample of {@code name} whose labels include {@code labels} (key, value, key, value...). */
  double sum(String name, String... labels) {
    double sum = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s, labels)) {
        sum += s.value();
      }
    }
    return sum;
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  private static boolean matches(Sample s, String... labels) {
    for (int i = 0; i < labels.length; i += 2) {
      if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
