/**
 * trawl as a Java library: {@link io.trawl.api.Trawl} runs a crawl configured in code or YAML,
 * and user code plugs in through three narrow interfaces: a {@link io.trawl.api.PageHandler}
 * (reads each parsed page's Jsoup document, emits {@link io.trawl.api.Item}s and links to follow;
 * parse workers), an {@link io.trawl.api.ItemSink} (receives each page's items; parse workers) and
 * a {@link io.trawl.api.RequestHook} (headers per request; fetch event loops). The artifact is
 * {@code io.trawl:trawl} (the plain jar; the shaded command-line jar is its {@code cli}
 * classifier); the README's "trawl as a Java library" section shows how to depend on it and
 * {@code examples/price-watch} is a runnable project using it.
 *
 * <p>The interfaces and records here depend on nothing of trawl's own: the parse stage implements
 * {@link io.trawl.api.Page} and calls the handlers and the sink; only {@link io.trawl.api.Trawl}
 * reaches into the pipeline ({@link io.trawl.CrawlJob}).
 */
package io.trawl.api;
