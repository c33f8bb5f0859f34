package io.trawl.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The chart library of the dashboard and of {@code trawl report}: uPlot (MIT), from its WebJar
 * ({@code org.webjars.npm:uplot}, the version pinned in {@code pom.xml}), read from the jar. Any
 * thread; reads resources, so not on an event loop.
 */
public final class ChartLibrary {
  private static final String WEBJAR = "META-INF/resources/webjars/uplot/";

  private ChartLibrary() {}

  /** The WebJar's version, from its own Maven metadata. */
  public static String version() {
    Properties pom = new Properties();
    try (InputStream in = resource("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pom.getProperty("version");
  }

  /** uPlot's minified script (it defines the global {@code uPlot}). */
  public static byte[] script() {
    return bytes(WEBJAR + version() + "/dist/uPlot.iife.min.js");
  }

  /** uPlot's style sheet. */
  public static byte[] styles() {
    return bytes(WEBJAR + version() + "/dist/uPlot.min.css");
  }

  /** uPlot's MIT licence text, which must travel with the script. */
  public static String licence() {
    return new String(bytes(WEBJAR + version() + "/LICENSE"), StandardCharsets.UTF_8);
  }

  /** A resource of the jar, whole. */
  static byte[] bytes(String path) {
    try (InputStream in = resource(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String path) {
    InputStream in = ChartLibrary.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing from the jar: " + path);
    }
    return in;
  }
}
