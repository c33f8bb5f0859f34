package io.trawl.fetch;

import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a fetch reads of its URL each page: the robots.txt origin (twice a page) and the request's
 * host, port, TLS and URI, by hand ({@link PlainUrl}) and the long way it was read before
 * ({@code java.net.URI}, Vert.x's {@code setAbsoluteURI}). See BENCHMARKS.md.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FetchUrlBenchmark {
  private static final String URL = "http://127.0.0.1:43671/page/12345";

  @Benchmark
  public String robotsOrigin() {
    return KnownRobots.origin(URL);
  }

  @Benchmark
  public String robotsOriginByUri() {
    URI uri = URI.create(URL);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  @Benchmark
  public RequestOptions requestTarget() {
    return PlainUrl.target(new RequestOptions(), URL);
  }

  @Benchmark
  public RequestOptions requestTargetByUrl() {
    return new RequestOptions().setAbsoluteURI(URL);
  }
}
