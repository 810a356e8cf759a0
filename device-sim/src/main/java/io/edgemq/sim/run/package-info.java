/**
 * One run from start to verdict: reachability checks, the driver loop (connect ramp, pacing, churn,
 * commands) on the injected clock, the drain, and the report.
 */
package io.edgemq.sim.run;
