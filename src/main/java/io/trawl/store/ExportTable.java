package io.trawl.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The tables {@code export} streams. */
public enum ExportTable {
  PAGES,
  LINKS,
  ITEMS,
  FRONTIER,
  CRAWLS,
  DOWNLOADS,
  /** Every fetch of every URL (since schema version 5). */
  PAGE_VERSIONS,
  /** Items replaced or removed by a later run (since schema version 5). */
  ITEM_HISTORY;

  /** The table's name in the database (and on the command line). */
  public String tableName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The table named {@code name}, in any case. */
  public static Optional<ExportTable> named(String name) {
    return Arrays.stream(values()).filter(t -> t.tableName().equalsIgnoreCase(name)).findFirst();
  }
}
