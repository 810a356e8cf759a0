/** Benchmarks run as programs (not tests), e.g. the cost of the broker meters. */
package io.edgemq.dist.bench;
