package io.trawl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventLoopCpuTest {
  @Test
  void aFileReadOfOurOwnCountsAsWaiting() {
    assertThat(EventLoopCpu.waits(List.of(
        "java.io.FileInputStream.readBytes", "java.io.FileInputStream.read", "io.trawl.fetch.Downloads.copy"))).isTrue();
  }

  @Test
  void theJvmReadingAClassFileIsJudgedByCpuNotAsWaiting() {
    // The stack a loaded machine showed: an event loop touching a class for the first time.
    assertThat(EventLoopCpu.waits(List.of(
        "java.io.FileInputStream.readBytes", "java.io.FileInputStream.read", "jdk.internal.loader.Resource.getBytes",
        "jdk.internal.loader.BuiltinClassLoader.defineClass", "jdk.internal.loader.BuiltinClassLoader.findClassOnClassPathOrNull",
        "jdk.internal.loader.BuiltinClassLoader.loadClassOrNull", "jdk.internal.loader.BuiltinClassLoader.loadClass",
        "java.lang.ClassLoader.loadClass", "io.trawl.fetch.Exchange.prepare"))).isFalse();
  }

  @Test
  void sleepingOnALoopCountsAsWaiting() {
    assertThat(EventLoopCpu.waits(List.of("java.lang.Thread.sleep", "io.trawl.Foo.handle"))).isTrue();
  }
}
