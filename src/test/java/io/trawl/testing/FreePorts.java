package io.trawl.testing;

import io.trawl.bench.ClusterBench;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Free TCP ports of 127.0.0.1, for what cannot listen on port 0 and say which it got: a Hazelcast
 * member must be listed by its port in the other members' lists before it starts. Picked as
 * {@code bench --nodes} picks its nodes' ports ({@link ClusterBench#freePorts}): below the kernel's
 * range for outgoing connections, so that the connections of a test running beside this one (the
 * tests run in two JVMs at once, see pom.xml) cannot take a port between its pick and its bind.
 */
public final class FreePorts {
  private FreePorts() {}

  public static int[] pick(int count) {
    try {
      return ClusterBench.freePorts(count);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
