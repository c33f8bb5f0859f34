package io.trawl.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of every bus record, one mapping for all of them: each record component is a
 * field of the same name. Components may be {@code int}, {@code long}, {@code double},
 * {@code boolean} (or their boxes), {@code String}, {@code byte[]} (as standard Base64 text, RFC 4648), another
 * record (a nested object), a {@code List} of any of these (an array), an enum (its name), or a
 * {@code JsonObject}/{@code JsonArray} (as they are). A record's mapping is read from its
 * components once and cached; a component of any other type is refused when the mapping is built,
 * naming the record and the component. Reading refuses a missing or mistyped primitive the same
 * way instead of defaulting it. Stateless and thread-safe; used for the wire between JVMs and for
 * logs, never for delivery within one JVM ({@link RecordCodec}).
 */
public final class RecordJson {
  private static final ClassValue<Mapping> MAPPINGS = new ClassValue<>() {
    @Override
    protected Mapping computeValue(Class<?> type) {
      return Mapping.of(type);
    }
  };

  private RecordJson() {}

  public static JsonObject toJson(Record record) {
    return MAPPINGS.get(record.getClass()).write(record);
  }

  public static <T extends Record> T fromJson(JsonObject json, Class<T> type) {
    return type.cast(MAPPINGS.get(type).read(json));
  }

  /** Builds (and caches) the mapping of {@code type}; throws IllegalArgumentException if a component cannot be mapped. */
  static void check(Class<? extends Record> type) {
    MAPPINGS.get(type);
  }

  /** How one Java type is written to and read from a JSON value. */
  private interface Shape {
    Object write(Object value);

    /** {@code json} is never null here. */
    Object read(Object json);
  }

  private record Field(String name, Method accessor, Shape shape, boolean primitive) {}

  private record Mapping(Class<?> type, List<Field> fields, Constructor<?> constructor) {
    static Mapping of(Class<?> type) {
      if (!type.isRecord()) {
        throw new IllegalArgumentException(type.getName() + " is not a record");
      }
      RecordComponent[] components = type.getRecordComponents();
      List<Field> fields = new ArrayList<>(components.length);
      Class<?>[] parameters = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        RecordComponent component = components[i];
        String where = type.getSimpleName() + "." + component.getName();
        Method accessor = component.getAccessor();
        accessor.trySetAccessible();
        fields.add(new Field(component.getName(), accessor, shapeOf(component.getGenericType(), where),
            component.getType().isPrimitive()));
        parameters[i] = component.getType();
      }
      try {
        Constructor<?> constructor = type.getDeclaredConstructor(parameters);
        constructor.trySetAccessible();
        return new Mapping(type, List.copyOf(fields), constructor);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(type.getName() + " has no canonical constructor", e);
      }
    }

    JsonObject write(Object record) {
      JsonObject json = new JsonObject();
      for (Field field : fields) {
        Object value = invoke(field.accessor(), record);
        json.put(field.name(), value == null ? null : field.shape().write(value));
      }
      return json;
    }

    Object read(JsonObject json) {
      Object[] arguments = new Object[fields.size()];
      for (int i = 0; i < arguments.length; i++) {
        Field field = fields.get(i);
        Object value = json.getValue(field.name());
        String where = type.getSimpleName() + "." + field.name();
        if (value == null) {
          if (field.primitive()) {
            throw new IllegalArgumentException(where + ": missing from " + json.encode());
          }
          continue;
        }
        try {
          arguments[i] = field.shape().read(value);
        } catch (ClassCastException | IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": cannot read " + value, e);
        }
      }
      try {
        return constructor.newInstance(arguments);
      } catch (InvocationTargetException e) {
        throw new IllegalArgumentException(type.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(type.getName() + " cannot be built", e);
      }
    }

    private static Object invoke(Method accessor, Object record) {
      try {
        return accessor.invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(accessor + " cannot be read", e);
      }
    }
  }

  private static Shape shapeOf(Type type, String where) {
    if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
      return listOf(shapeOf(parameterized.getActualTypeArguments()[0], where + "[]"));
    }
    if (!(type instanceof Class<?> raw)) {
      throw new IllegalArgumentException(where + ": type " + type.getTypeName() + " has no JSON mapping");
    }
    if (raw == int.class || raw == Integer.class) {
      return scalar(json -> ((Number) json).intValue());
    }
    if (raw == long.class || raw == Long.class) {
      return scalar(json -> ((Number) json).longValue());
    }
    if (raw == double.class || raw == Double.class) {
      return scalar(json -> ((Number) json).doubleValue());
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return scalar(json -> (Boolean) json);
    }
    if (raw == String.class) {
      return scalar(json -> (String) json);
    }
    if (raw == byte[].class) {
      return BYTES;
    }
    if (raw == JsonObject.class) {
      return scalar(json -> json instanceof Map<?, ?> map ? new JsonObject(cast(map)) : (JsonObject) json);
    }
    if (raw == JsonArray.class) {
      return scalar(json -> json instanceof List<?> list ? new JsonArray(list) : (JsonArray) json);
    }
    if (raw.isEnum()) {
      return enumOf(raw.asSubclass(Enum.class));
    }
    if (raw.isRecord()) {
      return recordOf(raw);
    }
    throw new IllegalArgumentException(where + ": type " + raw.getName() + " has no JSON mapping");
  }

  private interface Reader {
    Object read(Object json);
  }

  /** A type JSON holds as it is: written unchanged, read by a cast or conversion. */
  private static Shape scalar(Reader reader) {
    return new Shape() {
      @Override
      public Object write(Object value) {
        return value;
      }

      @Override
      public Object read(Object json) {
        return reader.read(json);
      }
    };
  }

  private static final Shape BYTES = new Shape() {
    @Override
    public Object write(Object value) {
      return Base64.getEncoder().encodeToString((byte[]) value);
    }

    @Override
    public Object read(Object json) {
      return json instanceof byte[] bytes ? bytes : Base64.getDecoder().decode((String) json);
    }
  };

  private static <E extends Enum<E>> Shape enumOf(Class<E> type) {
    return new Shape() {
      @Override
      public Object write(Object value) {
        return ((Enum<?>) value).name();
      }

      @Override
      public Object read(Object json) {
        return Enum.valueOf(type, (String) json);
      }
    };
  }

  /** A nested record's mapping is built with its holder's, so a bad component anywhere is refused up front. */
  private static Shape recordOf(Class<?> type) {
    Mapping nested = MAPPINGS.get(type);
    return new Shape() {
      @Override
      public Object write(Object value) {
        return nested.write(value);
      }

      @Override
      public Object read(Object json) {
        return nested.read(json instanceof Map<?, ?> map ? new JsonObject(cast(map)) : (JsonObject) json);
      }
    };
  }

  private static Shape listOf(Shape element) {
    return new Shape() {
      @Override
      public Object write(Object value) {
        List<?> list = (List<?>) value;
        JsonArray array = new JsonArray(new ArrayList<>(list.size()));
        for (Object item : list) {
          array.add(item == null ? null : element.write(item));
        }
        return array;
      }

      @Override
      public Object read(Object json) {
        List<?> items = json instanceof JsonArray array ? array.getList() : (List<?>) json;
        List<Object> list = new ArrayList<>(items.size());
        for (Object item : items) {
          list.add(item == null ? null : element.read(item));
        }
        return Collections.unmodifiableList(list);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
