package io.edgemq.nameserver.route;

import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.TopicConfig;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a broker announced in its last registration, already validated and with defaults applied.
 * The protobuf values it holds are immutable, so the record is too.
 *
 * @param key who registered
 * @param role master or replica
 * @param address its edgemq.v1 endpoint
 * @param haAddress its replication endpoint, or null
 * @param rocketmqAddress its RocketMQ v2 endpoint, or null
 * @param topics every topic it holds by name, counts and permission resolved
 * @param dataVersion the version of that topic list
 * @param heartbeatTimeoutMs how long it may stay silent; 0 means the nameserver's default
 * @param autoCreateTopics whether it creates unknown topics on their first send
 * @param defaultQueueCount queue count of the topics it auto-creates, 1-1024
 */
public record BrokerRegistration(
    BrokerKey key,
    BrokerRole role,
    Address address,
    Address haAddress,
    Address rocketmqAddress,
    Map<String, TopicConfig> topics,
    long dataVersion,
    long heartbeatTimeoutMs,
    boolean autoCreateTopics,
    int defaultQueueCount) {

  public BrokerRegistration {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(address, "address");
    // sorted so that everything derived from it (routes, listings) comes out in a stable order
    topics = Collections.unmodifiableMap(new TreeMap<>(topics));
    if (heartbeatTimeoutMs < 0) {
      throw new IllegalArgumentException("heartbeatTimeoutMs must be >= 0: " + heartbeatTimeoutMs);
    }
  }

  /**
   * Tells whether this broker takes writes.
   *
   * @return true for {@link BrokerRole#BROKER_ROLE_MASTER}
   */
  public boolean isMaster() {
    return role == BrokerRole.BROKER_ROLE_MASTER;
  }
}
