package io.edgemq.nameserver.route;

import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.BrokerMember;

/**
 * A registration as the route table holds it: the immutable announcement plus the time it was last
 * heard from. Only the heartbeat time changes after creation; it lives outside the snapshots so a
 * heartbeat does not rebuild every route.
 */
final class RegisteredBroker {
  private final BrokerRegistration registration;
  private final long registeredAtMs;
  private final long timeoutMs;
  // written under the table's lock, read without it by listings
  private volatile long lastHeartbeatMs;

  RegisteredBroker(BrokerRegistration registration, long registeredAtMs, long timeoutMs) {
    this.registration = registration;
    this.registeredAtMs = registeredAtMs;
    this.timeoutMs = timeoutMs;
    this.lastHeartbeatMs = registeredAtMs;
  }

  BrokerRegistration registration() {
    return registration;
  }

  BrokerKey key() {
    return registration.key();
  }

  long registeredAtMs() {
    return registeredAtMs;
  }

  long lastHeartbeatMs() {
    return lastHeartbeatMs;
  }

  void heardAt(long nowMs) {
    lastHeartbeatMs = nowMs;
  }

  /** Silent for its whole timeout: "missing for 120 s" drops it at the 120th second. */
  boolean isExpiredAt(long nowMs) {
    return nowMs - lastHeartbeatMs >= timeoutMs;
  }

  /** As a route lists it: without a heartbeat time, which the contract sets only in listings. */
  BrokerMember toRouteMember() {
    BrokerMember.Builder member =
        BrokerMember.newBuilder()
            .setBrokerId(registration.key().brokerId())
            .setRole(registration.role())
            .setAddress(registration.address());
    Address ha = registration.haAddress();
    if (ha != null) {
      member.setHaAddress(ha);
    }
    Address rocketmq = registration.rocketmqAddress();
    if (rocketmq != null) {
      member.setRocketmqAddress(rocketmq);
    }
    return member.build();
  }

  BrokerMember toListedMember() {
    return toRouteMember().toBuilder().setLastHeartbeatMs(lastHeartbeatMs).build();
  }
}
