package io.trawl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * In cluster mode the event bus spans the nodes: a stage that registers a plain {@code consumer}
 * receives work sent on other nodes, so a login, a fetch or a store write of one node could run on
 * another. Every consumer of the pipeline is a {@code localConsumer}; the cluster's progress notice
 * is the one address meant to cross nodes.
 */
class LocalConsumersTest {
  private static final Pattern CLUSTER_WIDE = Pattern.compile("[.>]consumer\\(([A-Za-z_.]+)");
  private static final List<String> MEANT_TO_CROSS = List.of("Addresses.CLUSTER_PROGRESS");

  @Test
  void everyConsumerOfThePipelineIsLocalToItsNode() throws IOException {
    List<String> crossing = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = CLUSTER_WIDE.matcher(Files.readString(file));
        while (m.find()) {
          if (!MEANT_TO_CROSS.contains(m.group(1))) {
            crossing.add(file.getFileName() + ": consumer(" + m.group(1));
          }
        }
      }
    }
    assertThat(crossing).as("consumers registered cluster-wide").isEmpty();
  }
}
