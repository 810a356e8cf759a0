/**
 * What other modules use: {@link io.edgemq.sim.api.SimCommand}, the picocli command that the {@code
 * edgemq} launcher mounts as {@code edgemq sim}.
 */
package io.edgemq.sim.api;
