package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerminalTextTest {
  @ParameterizedTest
  @CsvSource(delimiterString = "|", ignoreLeadingAndTrailingWhitespace = false, value = {
    "\u001b[31mred\u001b[0m|\u241b[31mred\u241b[0m",
    "bell\u0007|bell\u2407",
    "nul\u0000|nul\u2400",
    "del\u007f|del\u2421",
    "csi\u009b2J|csi\\u009b2J",
    "\u202eevil|\\u202eevil",
    "\u2066isolate\u2069|\\u2066isolate\\u2069",
  })
  void showsControlCharactersAsVisibleText(String text, String shown) {
    assertThat(TerminalText.visible(text)).isEqualTo(shown);
  }

  @Test
  void turnsLineBreaksAndTabsIntoSpaces() {
    assertThat(TerminalText.visible("one\ntwo\r\nthree\tfour")).isEqualTo("one two  three four");
  }

  @Test
  void keepsEveryOtherCharacterAsItIs() {
    String text = "Page b — généré, 東京, emoji \uD83D\uDE00, zero\u200Dwidth joiner";

    assertThat(TerminalText.visible(text)).isSameAs(text);
  }
}
