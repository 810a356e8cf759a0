package io.edgemq.broker.topic;

import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.TopicConfig;

/**
 * One topic as configured on this broker.
 *
 * @param name the topic name
 * @param writeQueues queues 0..writeQueues-1 take sends
 * @param readQueues queues 0..readQueues-1 are pulled
 * @param permission what clients may do (never UNSPECIFIED)
 */
public record Topic(String name, int writeQueues, int readQueues, Permission permission) {

  /**
   * @return whether sends are allowed
   */
  public boolean writable() {
    return permission == Permission.PERMISSION_WRITE
        || permission == Permission.PERMISSION_READ_WRITE;
  }

  /**
   * @return whether pulls are allowed
   */
  public boolean readable() {
    return permission == Permission.PERMISSION_READ
        || permission == Permission.PERMISSION_READ_WRITE;
  }

  /**
   * @return the protocol form
   */
  public TopicConfig toProto() {
    return TopicConfig.newBuilder()
        .setTopic(name)
        .setWriteQueueCount(writeQueues)
        .setReadQueueCount(readQueues)
        .setPermission(permission)
        .build();
  }
}
