package io.trawl.bus;

import java.util.List;

/**
 * Changes the frontier asks the store to make to {@code frontier} rows it owns, written in one
 * transaction: seeds to add, rows handed to fetchers ({@code in_flight}), and rows put back to
 * {@code queued} with a {@code not_before}.
 *
 * @param seeds normalized seed URLs to add at depth 0 (ignored when already present)
 * @param claimed ids now in flight
 * @param putBack rows going back to queued, with their attempts and not-before
 */
public record FrontierUpdate(List<String> seeds, List<Long> claimed, List<FrontierRow> putBack) {
  public static FrontierUpdate ofSeeds(List<String> seeds) {
    return new FrontierUpdate(seeds, List.of(), List.of());
  }

  public static FrontierUpdate ofClaims(List<Long> ids) {
    return new FrontierUpdate(List.of(), ids, List.of());
  }

  public static FrontierUpdate ofPutBack(FrontierRow row) {
    return new FrontierUpdate(List.of(), List.of(), List.of(row));
  }

  public boolean isEmpty() {
    return seeds.isEmpty() && claimed.isEmpty() && putBack.isEmpty();
  }
}
