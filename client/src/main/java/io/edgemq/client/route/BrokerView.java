package io.edgemq.client.route;

import io.edgemq.client.rpc.Endpoint;
import io.edgemq.protocol.v1.Permission;

/**
 * One broker group of a topic's route, as the client uses it.
 *
 * @param brokerName the group's name
 * @param endpoint where to send, pull, heartbeat and commit: the master, or while the group has no
 *     master the member with the lowest id (which answers writes with NOT_LEADER)
 * @param hasMaster whether a master is registered
 * @param writeQueues the topic's write queue count in this group
 * @param readQueues the topic's read queue count in this group
 * @param permission the topic's permission in this group
 */
public record BrokerView(
    String brokerName,
    Endpoint endpoint,
    boolean hasMaster,
    int writeQueues,
    int readQueues,
    Permission permission) {

  /**
   * @return whether sends may go here
   */
  public boolean writable() {
    return hasMaster
        && writeQueues > 0
        && (permission == Permission.PERMISSION_WRITE
            || permission == Permission.PERMISSION_READ_WRITE);
  }

  /**
   * @return whether pulls may go here
   */
  public boolean readable() {
    return readQueues > 0
        && (permission == Permission.PERMISSION_READ
            || permission == Permission.PERMISSION_READ_WRITE);
  }
}
