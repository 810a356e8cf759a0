/**
 * Scenarios: what a run simulates (fleets, streams, commands, churn, verification), read from a
 * YAML or JSON file or built in, and checked completely before anything connects.
 */
package io.edgemq.sim.scenario;
