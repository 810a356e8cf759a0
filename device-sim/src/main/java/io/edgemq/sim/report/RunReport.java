package io.edgemq.sim.report;

import io.edgemq.sim.verify.QosTally;
import java.util.List;

/**
 * Everything a run measured and concluded; written as JSON and HTML and printed as a summary.
 *
 * @param scenario scenario name
 * @param runId run id (hex), also in every message
 * @param startedAt ISO time the run began
 * @param gateway gateway address
 * @param devices devices in the scenario
 * @param publishSeconds length of the sending phase, s
 * @param connectOk successful connects (including reconnects)
 * @param connectFailed failed connects
 * @param reconnects reconnects of churning devices
 * @param sent PUBLISHes sent
 * @param acked acknowledged
 * @param publishFailed failed
 * @param skipped sends skipped (device offline or too many in flight)
 * @param ackedPerSecond acknowledged per second over the sending phase
 * @param receivedPerSecond backend arrivals per second over the sending phase
 * @param ackLatency PUBLISH→ack
 * @param endToEndLatency device→backend consumer
 * @param commandLatency backend→device
 * @param connectLatency CONNECT→CONNACK
 * @param telemetry per-QoS device→backend figures (empty if not verified)
 * @param commands per-QoS backend→device figures (empty without commands)
 * @param commandsSent commands the broker accepted
 * @param foreign backend messages of other runs skipped
 * @param droppedByFaultInjection arrivals ignored on purpose
 * @param violations broken guarantees; the run fails if any
 * @param errors run-level failures (unreachable gateway, failed consumer): the run fails
 * @param notes facts worth knowing that do not fail the run (the first connect error)
 * @param timeline per-second samples
 */
public record RunReport(
    String scenario,
    String runId,
    String startedAt,
    String gateway,
    int devices,
    double publishSeconds,
    long connectOk,
    long connectFailed,
    long reconnects,
    long sent,
    long acked,
    long publishFailed,
    long skipped,
    double ackedPerSecond,
    double receivedPerSecond,
    LatencySummary ackLatency,
    LatencySummary endToEndLatency,
    LatencySummary commandLatency,
    LatencySummary connectLatency,
    List<QosTally> telemetry,
    List<QosTally> commands,
    long commandsSent,
    long foreign,
    long droppedByFaultInjection,
    List<String> violations,
    List<String> errors,
    List<String> notes,
    List<Sample> timeline) {

  /** Whether every guarantee held and nothing went wrong at run level. */
  public boolean passed() {
    return violations.isEmpty() && errors.isEmpty();
  }
}
