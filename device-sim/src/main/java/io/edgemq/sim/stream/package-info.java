/**
 * What one device sends: topic templates, publish rates paced on an injected clock, the envelope
 * (run, device, stream, sequence, send time) every message carries, and telemetry payload models.
 */
package io.edgemq.sim.stream;
