package io.trawl.store.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libpq password file ({@code ~/.pgpass}): lines {@code hostname:port:database:username:password},
 * {@code *} matching anything in the first four fields, {@code \:} and {@code \\} escaping, {@code #}
 * comments; the first matching line wins. As libpq does, a file that group or others can read is
 * ignored (with a warning). Any thread.
 */
final class PgPassFile {
  private static final Logger log = LoggerFactory.getLogger(PgPassFile.class);

  private PgPassFile() {}

  static Optional<String> lookup(Path file, String host, int port, String database, String user) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      if (tooOpen(file)) {
        log.warn("password file ignored: group or others can read it path={} (chmod 0600 it)", file);
        return Optional.empty();
      }
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        List<String> fields = fields(line);
        if (fields.size() < 5) {
          continue;
        }
        if (matches(fields.get(0), host) && matches(fields.get(1), String.valueOf(port))
            && matches(fields.get(2), database) && matches(fields.get(3), user)) {
          return Optional.of(fields.get(4));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      log.warn("password file unreadable path={} error={}", file, e.toString());
      return Optional.empty();
    }
  }

  private static boolean tooOpen(Path file) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      return perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
    } catch (UnsupportedOperationException e) {
      return false; // not a POSIX file system: libpq does not check there either
    }
  }

  private static boolean matches(String pattern, String value) {
    return pattern.equals("*") || pattern.equals(value);
  }

  /** The colon-separated fields, unescaped; the password is the rest of the line. */
  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>(5);
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
      } else if (c == ':' && fields.size() < 4) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
