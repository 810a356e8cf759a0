package io.edgemq.sim.report;

/**
 * One second (or so) of a run, for the timeline charts.
 *
 * @param atSeconds seconds since the run began
 * @param connected devices connected
 * @param sentPerSec PUBLISHes sent per second
 * @param ackedPerSec acknowledged per second
 * @param receivedPerSec arrivals at the far end per second (backend and devices)
 * @param ackP50Ms PUBLISH→ack p50 in the interval, ms
 * @param ackP99Ms PUBLISH→ack p99 in the interval, ms
 * @param e2eP50Ms end-to-end p50 in the interval, ms
 * @param e2eP99Ms end-to-end p99 in the interval, ms
 * @param heapMb heap used, MiB (for soak runs)
 */
public record Sample(
    double atSeconds,
    long connected,
    double sentPerSec,
    double ackedPerSec,
    double receivedPerSec,
    double ackP50Ms,
    double ackP99Ms,
    double e2eP50Ms,
    double e2eP99Ms,
    double heapMb) {}
