/** The per-process HTTP endpoint: Prometheus {@code /metrics} and the {@code /health} probe. */
package io.edgemq.dist.http;
