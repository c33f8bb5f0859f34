package io.trawl.config;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Resolves plain YAML scalars as the YAML 1.2 core schema does, not YAML 1.1: only
 * {@code true}/{@code false} are booleans ({@code no}, {@code on} stay strings), integers are
 * decimal (no octal {@code 010}, no sexagesimal {@code 1:30}), and dates stay strings.
 */
final class CoreSchemaResolver extends Resolver {
  private static final Pattern CORE_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
  private static final Pattern CORE_INT = Pattern.compile("^[-+]?(?:0|[1-9][0-9]*)$");
  private static final Pattern CORE_FLOAT =
      Pattern.compile(
          "^(?:[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)(?:[eE][-+]?[0-9]+)?"
              + "|[-+]?[0-9]+[eE][-+]?[0-9]+"
              + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

  @Override
  protected void addImplicitResolvers() {
    addImplicitResolver(Tag.BOOL, CORE_BOOL, "tTfF", 10);
    addImplicitResolver(Tag.INT, CORE_INT, "-+0123456789");
    addImplicitResolver(Tag.FLOAT, CORE_FLOAT, "-+0123456789.");
    addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
    addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
    addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    addImplicitResolver(Tag.YAML, YAML, "!&*", 10);
  }
}
