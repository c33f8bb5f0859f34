package io.trawl.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small subset of JSONPath, compiled once, for picking values out of JSON-LD: {@code $} (the
 * object), {@code .name} (names may hold {@code @}, as in {@code .@type}), {@code ['name']},
 * {@code [n]} (an index from 0), {@code [*]} and {@code .*} (every element or value), and {@code
 * ..name} (that name at any depth). No filters, slices or unions. Because JSON-LD writes one value
 * and a list of values alike ({@code "offers": {...}} or {@code "offers": [{...}, {...}]}), a name
 * step on an array applies to each of its elements. Immutable and thread-safe; checked by the
 * config loader and evaluated on the parse pool.
 */
public final class JsonPath {
  private static final int MAX_STEPS = 32;

  private sealed interface Step permits Name, Index, Wildcard, Descend {}

  private record Name(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record Wildcard() implements Step {}

  private record Descend(String name) implements Step {}

  private final String text;
  private final List<Step> steps;

  private JsonPath(String text, List<Step> steps) {
    this.text = text;
    this.steps = List.copyOf(steps);
  }

  /**
   * The path written in {@code text}.
   *
   * @throws IllegalArgumentException naming what is wrong and where, for a path outside the subset
   */
  public static JsonPath compile(String text) {
    String s = text.strip();
    if (!s.startsWith("$")) {
      throw new IllegalArgumentException("a path starts with $");
    }
    List<Step> steps = new ArrayList<>();
    int i = 1;
    while (i < s.length()) {
      if (steps.size() == MAX_STEPS) {
        throw new IllegalArgumentException("at most " + MAX_STEPS + " steps");
      }
      char c = s.charAt(i);
      if (s.startsWith("..", i)) {
        int end = nameEnd(s, i + 2);
        if (end == i + 2) {
          throw new IllegalArgumentException("a name after .. at index " + i);
        }
        steps.add(new Descend(s.substring(i + 2, end)));
        i = end;
      } else if (c == '.') {
        int end = nameEnd(s, i + 1);
        String name = s.substring(i + 1, end);
        if (name.isEmpty()) {
          throw new IllegalArgumentException("a name after . at index " + i);
        }
        steps.add(name.equals("*") ? new Wildcard() : new Name(name));
        i = end;
      } else if (c == '[') {
        int close = s.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("a ] closing the [ at index " + i);
        }
        steps.add(bracket(s.substring(i + 1, close).strip(), i));
        i = close + 1;
      } else {
        throw new IllegalArgumentException("., .. or [ at index " + i + ", not " + c);
      }
    }
    return new JsonPath(text.strip(), steps);
  }

  private static int nameEnd(String s, int from) {
    int end = from;
    while (end < s.length() && s.charAt(end) != '.' && s.charAt(end) != '[') {
      end++;
    }
    return end;
  }

  private static Step bracket(String inside, int at) {
    if (inside.equals("*")) {
      return new Wildcard();
    }
    if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
        || inside.startsWith("\"") && inside.endsWith("\""))) {
      return new Name(inside.substring(1, inside.length() - 1));
    }
    try {
      int index = Integer.parseInt(inside);
      if (index >= 0) {
        return new Index(index);
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal below, which says what a bracket may hold
    }
    throw new IllegalArgumentException("['name'], [n] or [*] at index " + at + ", not [" + inside + "]");
  }

  /** Every value the path finds in {@code root}, in document order; empty when none. */
  public List<Object> values(Object root) {
    List<Object> current = List.of(root);
    for (Step step : steps) {
      List<Object> next = new ArrayList<>();
      for (Object value : current) {
        apply(step, value, next);
      }
      current = next;
      if (current.isEmpty()) {
        break;
      }
    }
    return current;
  }

  private static void apply(Step step, Object value, List<Object> into) {
    if (step instanceof Name n) {
      name(n.name(), value, into);
    } else if (step instanceof Index ix) {
      if (value instanceof JsonArray array && ix.index() < array.size()) {
        addIfPresent(array.getValue(ix.index()), into);
      }
    } else if (step instanceof Descend d) {
      descend(d.name(), value, into);
    } else if (value instanceof JsonArray array) {
      array.forEach(element -> addIfPresent(element, into));
    } else if (value instanceof JsonObject object) {
      object.forEach(entry -> addIfPresent(entry.getValue(), into));
    }
  }

  private static void name(String name, Object value, List<Object> into) {
    if (value instanceof JsonObject object) {
      addIfPresent(object.getValue(name), into);
    } else if (value instanceof JsonArray array) {
      for (Object element : array) {
        if (element instanceof JsonObject object) {
          addIfPresent(object.getValue(name), into);
        }
      }
    }
  }

  private static void descend(String name, Object value, List<Object> into) {
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        if (entry.getKey().equals(name)) {
          addIfPresent(entry.getValue(), into);
        }
        descend(name, entry.getValue(), into);
      }
    } else if (value instanceof JsonArray array) {
      for (Object element : array) {
        descend(name, element, into);
      }
    }
  }

  private static void addIfPresent(Object value, List<Object> into) {
    if (value != null) {
      into.add(value);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
