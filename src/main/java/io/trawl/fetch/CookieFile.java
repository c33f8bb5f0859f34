package io.trawl.fetch;

import io.trawl.bus.CookieRecord;
import io.trawl.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code fetch.cookies_file}: the Netscape cookie file format that curl ({@code -c}), wget and
 * browser export extensions write. One cookie per line, seven tab-separated fields: domain (a
 * leading dot or the flag make it a domain cookie), include-subdomains flag, path, secure flag,
 * expiry in epoch seconds ({@code 0}: a session cookie), name, value. {@code #HttpOnly_} before the
 * domain marks an HttpOnly cookie; other lines starting with {@code #} and blank lines are
 * comments. A bad line is refused naming the file and line, never the value. Blocking: the command
 * line's thread or a worker.
 */
public final class CookieFile {
  private static final String KEY = "fetch.cookies_file";
  private static final String HTTP_ONLY = "#HttpOnly_";

  private CookieFile() {}

  /** The cookies in {@code file} that are neither expired at {@code nowMs} nor set on a public suffix. */
  public static List<CookieRecord> read(Path file, long nowMs) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(KEY, "a readable cookie file", file + " (no such file)");
    } catch (IOException e) {
      throw new ConfigException(KEY, "a readable UTF-8 cookie file", file + " (" + e.getMessage() + ")");
    }
    List<CookieRecord> cookies = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      // Not stripped at the end: an empty value leaves the line ending in its tab.
      String line = lines.get(i).stripLeading();
      boolean httpOnly = line.startsWith(HTTP_ONLY);
      if (httpOnly) {
        line = line.substring(HTTP_ONLY.length());
      } else if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      CookieRecord cookie = cookie(line, httpOnly, file, i + 1, nowMs);
      if (!cookie.expired(nowMs) && !PublicSuffixes.isPublicSuffix(cookie.domain())) {
        cookies.add(cookie);
      }
    }
    return cookies;
  }

  private static CookieRecord cookie(String line, boolean httpOnly, Path file, int lineNo, long nowMs) {
    String[] fields = line.split("\t", -1);
    String where = file + " line " + lineNo;
    if (fields.length != 7) {
      throw refused(where + " has " + fields.length + " tab-separated fields");
    }
    String domain = fields[0].trim().toLowerCase(Locale.ROOT);
    boolean domainCookie = domain.startsWith(".") || fields[1].trim().equalsIgnoreCase("TRUE");
    if (domain.startsWith(".")) {
      domain = domain.substring(1);
    }
    String path = fields[2].trim();
    String name = fields[5].trim();
    long expiresSeconds;
    try {
      expiresSeconds = Long.parseLong(fields[4].trim());
    } catch (NumberFormatException e) {
      throw refused(where + " has an expiry that is not a number of seconds");
    }
    if (domain.isEmpty() || !path.startsWith("/") || name.isEmpty() || !isFlag(fields[1]) || !isFlag(fields[3])) {
      throw refused(where + " has an empty domain or name, a path not starting with /, or a flag other than TRUE/FALSE");
    }
    long expiresAtMs = expiresSeconds <= 0 ? 0 : Math.multiplyHigh(expiresSeconds, 1000) != 0 ? Long.MAX_VALUE
        : expiresSeconds * 1000;
    return new CookieRecord(domain, path, name, fields[6], !domainCookie, fields[3].trim().equalsIgnoreCase("TRUE"),
        httpOnly, expiresAtMs, nowMs, nowMs);
  }

  private static boolean isFlag(String field) {
    String flag = field.trim();
    return flag.equalsIgnoreCase("TRUE") || flag.equalsIgnoreCase("FALSE");
  }

  private static ConfigException refused(String got) {
    return new ConfigException(KEY, "a Netscape cookie file (domain, subdomains flag, path, secure flag, expiry, name, "
        + "value, separated by tabs)", got);
  }
}
