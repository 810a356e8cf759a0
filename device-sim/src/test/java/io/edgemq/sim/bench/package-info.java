/**
 * The 10,000-device benchmark: starts a nameserver, a broker and a gateway as child processes and
 * runs the simulator against them. A program, not a test (see BENCHMARKS.md).
 */
package io.edgemq.sim.bench;
