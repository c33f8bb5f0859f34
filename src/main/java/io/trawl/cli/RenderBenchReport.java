package io.trawl.cli;

import io.trawl.bench.RenderBench;
import io.trawl.render.Browser;
import io.trawl.render.Chromium;
import java.io.PrintWriter;
import java.util.Locale;

/** Runs {@code trawl bench --render} and prints what it measured. Main thread. */
final class RenderBenchReport {
  private RenderBenchReport() {}

  static int print(RenderBench.Options options, PrintWriter out, PrintWriter err) throws Exception {
    if (!Browser.isDevToolsUrl(options.browser()) && Chromium.find(options.browser()).isEmpty()) {
      err.println("trawl: bench: --browser: " + Chromium.notFound(options.browser()));
      return Main.BAD_INPUT;
    }
    err.printf("bench --render: %d pages of %d bytes with %d links, latency %d ms, concurrency %d, tabs %s...%n",
        options.pages(), options.pageBytes(), options.links(), options.latencyMs(), options.concurrency(),
        options.tabs() == 0 ? "one per core plus one" : Integer.toString(options.tabs()));
    RenderBench.Report r = RenderBench.run(options);
    RenderBench.Run all = r.rendered();
    RenderBench.Run plain = r.plain();
    RenderBench.Run auto = r.auto();
    out.printf(Locale.ROOT, """
        every page built by its script, rendered (render.mode all; images, fonts, media, stylesheets blocked)
        pages            %d rendered of %d stored (%d errors)
        time             %.1f s (%.1f s from the first page stored to the last)
        rendered/s       %.1f (%.1f from the first page to the last: without the browser's start)
        CPU per page     %.1f ms: JVM %.1f ms (crawler and server; %.1f ms of it the JIT compiling), browser %.1f ms (%d processes)
        bench's sampler  %.1f ms per page of the JVM's CPU reading the browser's processes (not counted above)
        peak memory      RSS %d MB: JVM + browser processes, summed (browser %d MB); PSS %d MB
        blocked fetched  %d requests for blocked types or outside the site
        every %dth page built by its script (%d pages)
        plain crawl      %.0f pages/s (%d pages: the scripted ones show nothing and their links are not seen)
        render auto      %.0f pages/s (%d pages, %d rendered); %.0f%% of the plain crawl's pages/s
        peak memory      RSS %d MB in auto mode (browser %d MB); PSS %d MB
        machine          %d cores, load average %s at the start, %s; browser %s
        """,
        all.rendered(), all.pages(), all.errors(), all.seconds(), all.fetchingSeconds(), all.rendered() / all.seconds(),
        all.steadyPagesPerSecond(), perPage(all.jvmCpuSeconds() + all.browserCpuSeconds(), all),
        perPage(all.jvmCpuSeconds(), all), perPage(all.jitCpuSeconds(), all), perPage(all.browserCpuSeconds(), all),
        all.browserProcesses(), perPage(all.samplerCpuSeconds(), all),
        all.peakRssBytes() >> 20, all.peakBrowserRssBytes() >> 20, all.peakPssBytes() >> 20, all.strayRequests(),
        RenderBench.AUTO_SCRIPT_EVERY, options.pages() / RenderBench.AUTO_SCRIPT_EVERY,
        plain.pagesPerSecond(), plain.pages(),
        auto.pagesPerSecond(), auto.pages(), auto.rendered(), 100 * auto.pagesPerSecond() / plain.pagesPerSecond(),
        auto.peakRssBytes() >> 20, auto.peakBrowserRssBytes() >> 20, auto.peakPssBytes() >> 20,
        r.cores(), r.load(), r.jvm(), browser(options.browser()));
    out.flush();
    return Main.OK;
  }

  /** The browser the bench ran: the executable {@code --browser} resolved to, or the DevTools URL given. */
  private static String browser(String name) {
    return Browser.isDevToolsUrl(name) ? name : Chromium.find(name).map(Object::toString).orElse(name);
  }

  private static double perPage(double seconds, RenderBench.Run run) {
    return 1000 * seconds / Math.max(1, run.pages());
  }
}
