package io.trawl.bus;

/**
 * The frontier asks for queued rows with an id above {@code afterId}, oldest first.
 *
 * @param afterId the paging cursor: the highest id already read
 * @param limit rows wanted at most
 */
public record QueuedRequest(long afterId, int limit) {}
