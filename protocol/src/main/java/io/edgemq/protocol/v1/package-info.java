/**
 * The {@code edgemq.v1} gRPC contracts, generated at build time from {@code
 * src/main/proto/edgemq/v1/*.proto}: messages, the {@code Code} enum, and the stubs and base
 * classes of the {@code NameServer}, {@code Broker} and {@code Admin} services. The {@code .proto}
 * comments are the field-by-field reference; {@code docs/protocol.md} is the overview.
 */
package io.edgemq.protocol.v1;
