/** Test helpers that run the {@code edgemq} command as real child processes. */
package io.edgemq.dist.process;
