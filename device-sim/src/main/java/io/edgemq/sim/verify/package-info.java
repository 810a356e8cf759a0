/**
 * End-to-end accounting: what each device stream sent and had acknowledged, what arrived at the far
 * end, and the per-QoS verdict (lost, duplicated, reordered) that decides the exit code.
 */
package io.edgemq.sim.verify;
