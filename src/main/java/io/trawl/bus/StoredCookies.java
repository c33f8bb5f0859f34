package io.trawl.bus;

import java.util.List;

/**
 * The cookies the {@code cookies} table holds, the answer on {@link Addresses#STORE_COOKIES_READ}.
 *
 * @param cookies every stored cookie, expired ones included (the jar drops those as it loads them)
 */
public record StoredCookies(List<CookieRecord> cookies) {}
