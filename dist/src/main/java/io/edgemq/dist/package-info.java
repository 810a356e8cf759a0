/** The {@code edgemq} command's entry point ({@link io.edgemq.dist.EdgemqMain}). */
package io.edgemq.dist;
