/**
 * Simulated devices: one HiveMQ asynchronous MQTT client per device, all on one shared set of event
 * loops, connected at a ramp rate, publishing what the pacer fires.
 */
package io.edgemq.sim.fleet;
