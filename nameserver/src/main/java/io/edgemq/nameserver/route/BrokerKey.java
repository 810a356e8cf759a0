package io.edgemq.nameserver.route;

import java.util.Objects;

/**
 * Names one broker process as the nameserver contract does: a registration of the same key replaces
 * the earlier one.
 *
 * @param clusterName the cluster it belongs to
 * @param brokerName its broker group, unique in the deployment
 * @param brokerId its id within the group, at least 0
 */
public record BrokerKey(String clusterName, String brokerName, long brokerId) {

  public BrokerKey {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(brokerName, "brokerName");
  }

  @Override
  public String toString() {
    return clusterName + "/" + brokerName + "/" + brokerId;
  }
}
