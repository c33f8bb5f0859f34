package io.trawl.bus;

/**
 * The store's answer once a page's transaction has committed.
 *
 * @param newUrls frontier rows the page added (discovered URLs not seen before)
 * @param error the {@code pages.error} word of the row written, or null: the stage that sent the
 *     page (the parser, say) may have failed it on the way, so only the store's answer knows
 */
public record PageStored(int newUrls, String error) {}
