package io.edgemq.sim.run;

import io.edgemq.client.api.Message;
import io.edgemq.client.api.Producer;
import io.edgemq.sim.fleet.Device;
import io.edgemq.sim.report.Metrics;
import io.edgemq.sim.scenario.CommandSpec;
import io.edgemq.sim.stream.Envelope;
import io.edgemq.sim.stream.PayloadFormat;
import io.edgemq.sim.verify.StreamLedger;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Backend → device commands at a fixed total rate, round-robin over the devices whose command
 * subscription is in place. Each command is a broker message on {@code brokerTopic} whose {@code
 * mqtt.topic} property names the device's MQTT topic; a command the broker accepted is owed to its
 * device (at QoS 1 and 2).
 */
final class CommandSender {
  private final Producer producer;
  private final CommandSpec spec;
  private final List<Device> targets;
  private final Map<String, StreamLedger> ledgers;
  private final Metrics metrics;
  private final Clock clock;
  private final long runId;
  private long issued;
  private int next;

  CommandSender(
      Producer producer,
      CommandSpec spec,
      List<Device> targets,
      Map<String, StreamLedger> ledgers,
      Metrics metrics,
      Clock clock,
      long runId) {
    this.producer = producer;
    this.spec = spec;
    this.targets = targets;
    this.ledgers = ledgers;
    this.metrics = metrics;
    this.clock = clock;
    this.runId = runId;
  }

  /** Sends the commands due by {@code elapsedNanos} since sending began. */
  void sendDue(long elapsedNanos) {
    long due = (long) (elapsedNanos / 1e9 * spec.perSecond());
    while (issued < due) {
      Device d = nextTarget();
      if (d == null) {
        issued = due; // nobody to command yet: those slots pass, they are not owed to anyone
        return;
      }
      send(d);
      issued++;
    }
  }

  /** When the next command is due, ns since sending began. */
  long nextDue() {
    return (long) Math.ceil((issued + 1) * 1e9 / spec.perSecond());
  }

  private Device nextTarget() {
    for (int tries = 0; tries < targets.size(); tries++) {
      Device d = targets.get(next);
      next = (next + 1) % targets.size();
      if (d.subscribed()) {
        return d;
      }
    }
    return null;
  }

  private void send(Device d) {
    StreamLedger ledger = ledgers.get(d.id());
    long seq = ledger.nextSeq();
    Envelope env = new Envelope(runId, d.id(), 0, seq, micros());
    byte[] body =
        PayloadFormat.JSON.encode(
            env,
            out -> {
              out.text("cmd", "set-interval");
              out.integer("value", 1 + seq % 60);
            },
            0);
    Message m =
        Message.builder()
            .topic(spec.brokerTopic())
            .tag(d.id())
            .keys(d.id())
            .messageGroup(d.id())
            .property("mqtt.topic", d.commandTopic())
            .property("mqtt.qos", Integer.toString(spec.qos()))
            .body(body)
            .build();
    producer
        .sendAsync(m)
        .whenComplete(
            (r, e) -> {
              if (e == null) {
                ledger.acked(seq);
                metrics.commandsSent.increment();
              } else {
                ledger.failed(seq);
                metrics.commandsFailed.increment();
              }
            });
  }

  private long micros() {
    java.time.Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
