package io.edgemq.gateway.metrics;

import io.edgemq.gateway.server.CloseReason;
import io.edgemq.gateway.server.ConnectionEvents;
import io.edgemq.gateway.server.DropReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Map;

/** Counts closed connections by reason and messages not passed on by reason. */
final class ConnectionMeter implements ConnectionEvents {
  static final String DROPPED = "edgemq.gateway.messages.dropped";
  static final String DROPPED_DESCRIPTION = "messages the gateway did not pass on, by reason";

  private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);

  ConnectionMeter(MeterRegistry registry, Tags tags) {
    for (CloseReason r : CloseReason.values()) {
      closed.put(
          r,
          Counter.builder("edgemq.gateway.disconnects")
              .description("connections ended, by reason")
              .tags(tags)
              .tag("reason", r.label())
              .register(registry));
    }
    for (DropReason r : DropReason.values()) {
      dropped.put(
          r,
          Counter.builder(DROPPED)
              .description(DROPPED_DESCRIPTION)
              .tags(tags)
              .tag("reason", r.label())
              .register(registry));
    }
  }

  @Override
  public void closed(CloseReason reason) {
    closed.get(reason).increment();
  }

  @Override
  public void dropped(DropReason reason) {
    dropped.get(reason).increment();
  }
}
