package io.edgemq.nameserver.route;

import io.edgemq.protocol.v1.Address;
import java.util.Optional;

/**
 * What a registration did.
 *
 * @param refusal why it was refused, or null when it was accepted
 * @param master the group's master after the registration, or null if it has none
 */
public record RegisterOutcome(String refusal, BrokerRegistration master) {

  static RegisterOutcome refused(String why) {
    return new RegisterOutcome(why, null);
  }

  /**
   * Tells whether the registration was taken.
   *
   * @return true if it was
   */
  public boolean accepted() {
    return refusal == null;
  }

  /**
   * The master's edgemq.v1 endpoint.
   *
   * @return it, if the group has a master
   */
  public Optional<Address> masterAddress() {
    return Optional.ofNullable(master).map(BrokerRegistration::address);
  }

  /**
   * The master's replication endpoint.
   *
   * @return it, if the group has a master serving one
   */
  public Optional<Address> masterHaAddress() {
    return Optional.ofNullable(master).map(BrokerRegistration::haAddress);
  }
}
