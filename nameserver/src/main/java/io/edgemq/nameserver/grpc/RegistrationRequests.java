package io.edgemq.nameserver.grpc;

import io.edgemq.nameserver.route.BrokerKey;
import io.edgemq.nameserver.route.BrokerRegistration;
import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.edgemq.protocol.v1.TopicConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks broker requests against the contract and turns them into route-table values. Zero counts
 * and an unset permission in a registered topic take the create defaults of {@code TopicConfig}
 * (write 4, read = write, READ_WRITE), so routes never show a zero count or an UNSPECIFIED
 * permission, which the contract says does not occur in responses.
 */
final class RegistrationRequests {
  static final int MAX_QUEUES = 1024;
  static final int DEFAULT_QUEUES = 4;

  private RegistrationRequests() {}

  static Checked<BrokerKey> key(String cluster, String broker, long brokerId) {
    if (cluster.isEmpty()) {
      return Checked.refused(Code.BAD_REQUEST, "cluster_name is required");
    }
    if (broker.isEmpty()) {
      return Checked.refused(Code.BAD_REQUEST, "broker_name is required");
    }
    if (brokerId < 0) {
      return Checked.refused(Code.BAD_REQUEST, "broker_id must be >= 0, was " + brokerId);
    }
    return Checked.ok(new BrokerKey(cluster, broker, brokerId));
  }

  static Checked<BrokerRegistration> registration(RegisterBrokerRequest r) {
    Checked<BrokerKey> key = key(r.getClusterName(), r.getBrokerName(), r.getBrokerId());
    if (key.isRefused()) {
      return Checked.refused(key.refusal().getCode(), key.refusal().getMessage());
    }
    // an unknown role reads as UNSPECIFIED (versioning rule 4), which the contract refuses
    if (r.getRole() != BrokerRole.BROKER_ROLE_MASTER
        && r.getRole() != BrokerRole.BROKER_ROLE_REPLICA) {
      return Checked.refused(Code.BAD_REQUEST, "role is required (MASTER or REPLICA)");
    }
    String addressProblem = addressProblem("address", r.hasAddress(), r.getAddress(), true);
    if (addressProblem == null) {
      addressProblem = addressProblem("ha_address", r.hasHaAddress(), r.getHaAddress(), false);
    }
    if (addressProblem == null) {
      addressProblem =
          addressProblem("rocketmq_address", r.hasRocketmqAddress(), r.getRocketmqAddress(), false);
    }
    if (addressProblem != null) {
      return Checked.refused(Code.BAD_REQUEST, addressProblem);
    }
    if (r.getHeartbeatTimeoutMs() < 0) {
      return Checked.refused(
          Code.BAD_REQUEST, "heartbeat_timeout_ms must be >= 0, was " + r.getHeartbeatTimeoutMs());
    }
    if (r.getDefaultQueueCount() < 0 || r.getDefaultQueueCount() > MAX_QUEUES) {
      return Checked.refused(
          Code.BAD_REQUEST,
          "default_queue_count must be 0-" + MAX_QUEUES + ", was " + r.getDefaultQueueCount());
    }
    Checked<Map<String, TopicConfig>> topics = topics(r);
    if (topics.isRefused()) {
      return Checked.refused(topics.refusal().getCode(), topics.refusal().getMessage());
    }
    return Checked.ok(
        new BrokerRegistration(
            key.value(),
            r.getRole(),
            r.getAddress(),
            r.hasHaAddress() ? r.getHaAddress() : null,
            r.hasRocketmqAddress() ? r.getRocketmqAddress() : null,
            topics.value(),
            r.getDataVersion(),
            r.getHeartbeatTimeoutMs(),
            r.getAutoCreateTopics(),
            r.getDefaultQueueCount() == 0 ? DEFAULT_QUEUES : r.getDefaultQueueCount()));
  }

  private static String addressProblem(
      String field, boolean present, Address address, boolean required) {
    if (!present) {
      return required ? field + " is required" : null;
    }
    if (address.getHost().isEmpty()) {
      return field + ".host is required";
    }
    if (address.getPort() < 1 || address.getPort() > 65535) {
      return field + ".port must be 1-65535, was " + address.getPort();
    }
    return null;
  }

  private static Checked<Map<String, TopicConfig>> topics(RegisterBrokerRequest r) {
    Map<String, TopicConfig> topics = new HashMap<>();
    for (TopicConfig t : r.getTopicsList()) {
      String problem = TopicNames.problem(t.getTopic());
      if (problem != null) {
        return Checked.refused(Code.ILLEGAL_TOPIC, problem);
      }
      int write = t.getWriteQueueCount() == 0 ? DEFAULT_QUEUES : t.getWriteQueueCount();
      int read = t.getReadQueueCount() == 0 ? write : t.getReadQueueCount();
      if (write < 0 || write > MAX_QUEUES || read < 0 || read > MAX_QUEUES) {
        return Checked.refused(
            Code.BAD_REQUEST,
            "topic '"
                + t.getTopic()
                + "': queue counts must be 1-"
                + MAX_QUEUES
                + ", were write "
                + t.getWriteQueueCount()
                + " read "
                + t.getReadQueueCount());
      }
      Permission permission =
          switch (t.getPermission()) {
            case PERMISSION_NONE, PERMISSION_READ, PERMISSION_WRITE, PERMISSION_READ_WRITE ->
                t.getPermission();
            default -> Permission.PERMISSION_READ_WRITE;
          };
      TopicConfig resolved =
          t.toBuilder()
              .setWriteQueueCount(write)
              .setReadQueueCount(read)
              .setPermission(permission)
              .build();
      if (topics.put(t.getTopic(), resolved) != null) {
        return Checked.refused(
            Code.BAD_REQUEST, "topic '" + t.getTopic() + "' is listed more than once");
      }
    }
    return Checked.ok(topics);
  }
}
