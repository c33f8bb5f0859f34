package io.trawl.fetch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per host, from one registry built from {@code circuit.*}. A call counts as
 * failed when the network failed (timeouts, resets, refused connections) or the server answered
 * with a status the retry policy retries (5xx, 429). Thread-safe: shared by all fetcher instances,
 * so a host is judged on all of its traffic.
 */
public final class HostBreakers {
  private static final Logger log = LoggerFactory.getLogger(HostBreakers.class);

  private final CircuitBreakerRegistry registry;

  public HostBreakers(TrawlConfig.Circuit circuit, TrawlConfig.Retry retry) {
    Set<Integer> failingStatuses = Set.copyOf(retry.statuses());
    CircuitBreakerConfig config = CircuitBreakerConfig.custom()
        .failureRateThreshold(circuit.failureRate())
        .minimumNumberOfCalls(circuit.minimumCalls())
        .slidingWindowSize(Math.max(circuit.minimumCalls(), 20))
        .waitDurationInOpenState(circuit.openFor())
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordException(err -> FailureKind.of(err).retryable())
        .recordResult(result -> result instanceof FetchResult r && failingStatuses.contains(r.status()))
        .build();
    this.registry = CircuitBreakerRegistry.of(config);
    registry.getEventPublisher().onEntryAdded(added -> watch(added.getAddedEntry()));
  }

  /** The breaker of {@code host}, created on first use. */
  public CircuitBreaker of(String host) {
    return registry.circuitBreaker(host);
  }

  /** Logs a host going bad once (closed to open) and recovering once (to closed). */
  private static void watch(CircuitBreaker breaker) {
    breaker.getEventPublisher().onStateTransition(event -> {
      CircuitBreaker.StateTransition transition = event.getStateTransition();
      if (transition == CircuitBreaker.StateTransition.CLOSED_TO_OPEN) {
        log.warn("circuit opened host={}: too many failures, pausing it", breaker.getName());
      } else if (transition.getToState() == CircuitBreaker.State.CLOSED) {
        log.info("circuit closed host={}: recovered", breaker.getName());
      } else {
        log.debug("circuit host={} transition={}", breaker.getName(), transition);
      }
    });
  }
}
