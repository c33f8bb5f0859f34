package io.trawl.api;

import io.vertx.core.json.JsonObject;

/**
 * One extracted item: made by an extraction rule of the config or emitted by a {@link
 * PageHandler}, as stored in the {@code items} table.
 *
 * @param rule the rule's (or handler's) name, {@code items.rule}
 * @param pageUrl the URL of the page it came from, {@code items.page_url}
 * @param key its key, {@code items.item_key} (for a rule, a JSON array of its key fields' values),
 *     or null when it has none
 * @param data its fields, {@code items.data}; a copy the receiver may keep or change
 */
public record Item(String rule, String pageUrl, String key, JsonObject data) {}
