/**
 * The gRPC edge: the {@code edgemq.v1.Broker}, {@code edgemq.v1.Admin} and {@code
 * edgemq.v1.SimpleConsumption} service implementations, which only adapt calls to the feature
 * services, and the interceptor that records the peer address.
 */
package io.edgemq.broker.server;
