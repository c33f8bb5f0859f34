package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {
  @Test
  void readsHostAndPortABarePortOnLoopbackAnIpv6LiteralAndOff() {
    assertThat(ListenAddress.parse("0.0.0.0:9464")).contains(new ListenAddress("0.0.0.0", 9464));
    assertThat(ListenAddress.parse("9464")).contains(new ListenAddress("127.0.0.1", 9464));
    assertThat(ListenAddress.parse("[::1]:8080")).contains(new ListenAddress("::1", 8080));
    assertThat(ListenAddress.parse("localhost:0")).contains(new ListenAddress("localhost", 0));
    assertThat(ListenAddress.parse("OFF")).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "127.0.0.1:", ":9464", "127.0.0.1:65536", "http://127.0.0.1:9464", "a b:1"})
  void refusesWhatIsNotAnAddress(String text) {
    assertThatThrownBy(() -> ListenAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void printsAsWrittenAndSaysWhetherOnlyThisMachineReachesIt() {
    assertThat(new ListenAddress("::1", 8080)).hasToString("[::1]:8080");
    assertThat(new ListenAddress("::1", 8080).url(41000)).isEqualTo("http://[::1]:41000");
    assertThat(new ListenAddress("127.0.0.1", 1).isLoopback()).isTrue();
    assertThat(new ListenAddress("::1", 1).isLoopback()).isTrue();
    assertThat(new ListenAddress("0.0.0.0", 1).isLoopback()).isFalse();
  }
}
