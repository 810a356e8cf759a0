/**
 * Test fixtures the gateway's tests share: {@link io.edgemq.gateway.testing.TestCluster}, a real
 * nameserver and brokers in the test JVM.
 */
package io.edgemq.gateway.testing;
