package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "127.0.0.1", "127.255.255.254", "::1",                                  // loopback
      "169.254.169.254", "169.254.0.1", "fe80::1", "febf::1",                 // link-local, cloud metadata
      "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1", // private
      "fc00::1", "fd12:3456::1", "fec0::1",                                   // unique local, old site-local
      "0.0.0.0", "::", "0.1.2.3",                                             // unspecified, "this network"
      "224.0.0.1", "239.255.255.250", "ff02::1",                              // multicast
      "100.64.0.1", "100.127.255.255", "198.18.0.1", "198.19.255.255",        // carrier NAT, benchmarking
      "240.0.0.1", "255.255.255.255",                                         // reserved, broadcast
      "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1", // IPv4 in IPv6
      "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1",                                // NAT64 of 169.254.169.254, 127.0.0.1
  })
  void refusesLoopbackLinkLocalPrivateUnspecifiedAndMulticast(String address) throws Exception {
    assertThat(AddressGuard.isPrivate(InetAddress.getByName(address))).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "93.184.215.14", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "192.167.1.1", "169.253.0.1",
      "100.63.255.255", "100.128.0.1", "198.17.0.1", "198.20.0.1", "223.255.255.255", "11.0.0.1",
      "2606:4700:4700::1111", "2001:db8::1", "fbff::1", "fe7f::1", "::ffff:8.8.8.8", "64:ff9b::808:808",
  })
  void allowsPublicAddresses(String address) throws Exception {
    assertThat(AddressGuard.isPrivate(InetAddress.getByName(address))).isFalse();
  }
}
