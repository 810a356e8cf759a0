/**
 * What other modules may call: {@link io.edgemq.broker.api.BrokerConfig} and {@link
 * io.edgemq.broker.api.Broker}, which starts a broker process in this JVM (store, gRPC {@code
 * edgemq.v1.Broker} and {@code edgemq.v1.Admin} services, nameserver registration).
 */
package io.edgemq.broker.api;
