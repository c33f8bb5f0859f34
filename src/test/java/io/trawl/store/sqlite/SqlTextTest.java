package io.trawl.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlTextTest {
  @ParameterizedTest
  @ValueSource(strings = {
    "select 1",
    "select 1;",
    "select 1 ;  ;\n",
    "select 1; -- a comment after\n",
    "select 1; /* a comment ; after */",
    "select ';' as semi",
    "select 'it''s; fine'",
    "select \"a;b\" from t",
    "select `a;b`, [c;d] from t",
    "select 1 -- a comment; delete from pages",
    "select 1 /* ; delete from pages */",
  })
  void takesOneStatementWhateverItsSemicolonsInsideQuotesAndComments(String sql) {
    assertThat(SqlText.hasSeveralStatements(sql)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "select 1; delete from pages",
    "select 1;delete from pages;",
    "select ';'; drop table links",
    "select 1; /* between */ select 2",
    "select 1;\n-- next\nselect 2",
  })
  void seesASecondStatementAfterATopLevelSemicolon(String sql) {
    assertThat(SqlText.hasSeveralStatements(sql)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", ";", " ; ;\n", "-- only a comment", "/* only */ ; -- comments\n"})
  void seesNoStatementInBlanksCommentsAndSemicolons(String sql) {
    assertThat(SqlText.isBlank(sql)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"select 1", "-- a comment\nselect 1", "/* x */ pragma user_version", "; select 1"})
  void seesAStatementAfterBlanksAndComments(String sql) {
    assertThat(SqlText.isBlank(sql)).isFalse();
  }
}
