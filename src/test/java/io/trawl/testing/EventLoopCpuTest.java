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
  void theJvmReadingAClassFromAJarIsJudgedByCpuNotAsWaiting() {
    // The stack of a ResumeIT child on a machine at load 23: netty's classes come from its jar.
    assertThat(EventLoopCpu.waits(List.of(
        "java.io.RandomAccessFile.readBytes", "java.io.RandomAccessFile.read", "java.io.RandomAccessFile.readFully",
        "java.util.zip.ZipFile$Source.readFullyAt", "java.util.zip.ZipFile$ZipFileInputStream.initDataOffset",
        "java.util.zip.ZipFile$ZipFileInputStream.read", "java.util.zip.ZipFile$ZipFileInflaterInputStream.fill",
        "java.util.zip.InflaterInputStream.read", "jdk.internal.loader.Resource.getBytes",
        "jdk.internal.loader.URLClassPath$JarLoader$2.getBytes", "jdk.internal.loader.BuiltinClassLoader.defineClass",
        "io.netty.channel.AbstractChannel.newId"))).isFalse();
  }

  @Test
  void aJarReadOfOurOwnCountsAsWaiting() {
    assertThat(EventLoopCpu.waits(List.of(
        "java.io.RandomAccessFile.readBytes", "java.io.RandomAccessFile.read", "java.util.zip.ZipFile$Source.readFullyAt",
        "java.util.zip.ZipFile$ZipFileInputStream.read", "io.trawl.fetch.Downloads.unzip"))).isTrue();
  }

  @Test
  void sleepingOnALoopCountsAsWaiting() {
    assertThat(EventLoopCpu.waits(List.of("java.lang.Thread.sleep", "io.trawl.Foo.handle"))).isTrue();
  }

  @Test
  void aNameLookupCountsAsWaiting() {
    assertThat(EventLoopCpu.waits(List.of(
        "java.net.Inet6AddressImpl.lookupAllHostAddr", "java.net.InetAddress$PlatformNameService.lookupAllHostAddr",
        "java.net.InetAddress.getAddressesFromNameService", "io.trawl.fetch.Resolver.resolve"))).isTrue();
  }

  @Test
  void makingAnUnresolvedSocketAddressIsJudgedByCpuNotAsWaiting() {
    // The stack of a MetricsIT event loop descheduled on a machine at load 37 (CPU 0 ms): every
    // connect builds an InetSocketAddress, which does no I/O.
    assertThat(EventLoopCpu.waits(List.of(
        "java.net.InetSocketAddress.createUnresolved", "io.vertx.core.spi.transport.Transport.convert",
        "io.vertx.core.impl.transports.EpollTransport.convert", "io.vertx.core.net.impl.ChannelProvider.handleConnect"))).isFalse();
  }
}
