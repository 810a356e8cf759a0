/**
 * Measurements of a run (counters, HdrHistogram latencies, a per-second timeline) and their
 * presentation: the live progress line, the summary, the JSON report and the HTML report.
 */
package io.edgemq.sim.report;
