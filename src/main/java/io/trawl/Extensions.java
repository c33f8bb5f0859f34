package io.trawl;

import io.trawl.api.ItemSink;
import io.trawl.api.PageHandler;
import io.trawl.api.RequestHook;
import java.util.List;

/**
 * The user code a crawl runs, from {@link io.trawl.api.Trawl}: page handlers (parse stage), an
 * item sink (parse stage) and a request hook (fetch stage). The command line runs with {@link
 * #NONE}. Immutable.
 *
 * @param pageHandlers run on every parsed HTML page, in order
 * @param itemSink receives each page's items, or null for none
 * @param requestHook adds headers to each page request, or null for none
 */
public record Extensions(List<PageHandler> pageHandlers, ItemSink itemSink, RequestHook requestHook) {
  public static final Extensions NONE = new Extensions(List.of(), null, null);

  public Extensions {
    pageHandlers = List.copyOf(pageHandlers);
  }
}
