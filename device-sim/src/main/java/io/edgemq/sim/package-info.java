/** The simulator's own entry point, {@link io.edgemq.sim.SimMain}. */
package io.edgemq.sim;
