package io.edgemq.nameserver.api;

import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.BrokerHeartbeatRequest;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.edgemq.protocol.v1.TopicConfig;

/** Requests a broker would send, for tests. */
final class BrokerRequests {
  private BrokerRequests() {}

  static RegisterBrokerRequest register(
      String cluster, String broker, long dataVersion, TopicConfig... topics) {
    return RegisterBrokerRequest.newBuilder()
        .setClusterName(cluster)
        .setBrokerName(broker)
        .setBrokerId(0)
        .setRole(BrokerRole.BROKER_ROLE_MASTER)
        .setAddress(Address.newBuilder().setHost(broker + ".local").setPort(10911))
        .setHaAddress(Address.newBuilder().setHost(broker + ".local").setPort(10912))
        .setDataVersion(dataVersion)
        .addAllTopics(java.util.List.of(topics))
        .build();
  }

  static BrokerHeartbeatRequest heartbeat(String cluster, String broker, long dataVersion) {
    return BrokerHeartbeatRequest.newBuilder()
        .setClusterName(cluster)
        .setBrokerName(broker)
        .setBrokerId(0)
        .setDataVersion(dataVersion)
        .build();
  }

  static TopicConfig topic(String name, int write, int read, Permission permission) {
    return TopicConfig.newBuilder()
        .setTopic(name)
        .setWriteQueueCount(write)
        .setReadQueueCount(read)
        .setPermission(permission)
        .build();
  }
}
