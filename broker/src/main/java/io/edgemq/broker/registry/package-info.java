/**
 * Registration with the nameservers: RegisterBroker at start and after every topic change,
 * BrokerHeartbeat every heartbeat interval (registering again when a nameserver asks or forgot the
 * broker), UnregisterBroker on a clean close. Each nameserver is handled on its own: one that is
 * down is logged and retried next round.
 */
package io.edgemq.broker.registry;
