package io.edgemq.nameserver.grpc;

import io.edgemq.nameserver.route.BrokerKey;
import io.edgemq.nameserver.route.BrokerRegistration;
import io.edgemq.nameserver.route.HeartbeatOutcome;
import io.edgemq.nameserver.route.RegisterOutcome;
import io.edgemq.nameserver.route.RouteTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.BrokerHeartbeatRequest;
import io.edgemq.protocol.v1.BrokerHeartbeatResponse;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ListBrokersRequest;
import io.edgemq.protocol.v1.ListBrokersResponse;
import io.edgemq.protocol.v1.ListClustersResponse;
import io.edgemq.protocol.v1.ListTopicNamesRequest;
import io.edgemq.protocol.v1.ListTopicNamesResponse;
import io.edgemq.protocol.v1.QueryRouteRequest;
import io.edgemq.protocol.v1.QueryRouteResponse;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.edgemq.protocol.v1.RegisterBrokerResponse;
import io.edgemq.protocol.v1.Status;
import io.edgemq.protocol.v1.TopicRoute;
import io.edgemq.protocol.v1.UnregisterBrokerRequest;
import io.edgemq.protocol.v1.UnregisterBrokerResponse;
import java.util.Optional;

/** Broker and route RPCs: each turns a request into its response, nothing more. */
final class RouteRpcs {
  private final RouteTable table;

  RouteRpcs(RouteTable table) {
    this.table = table;
  }

  RegisterBrokerResponse register(RegisterBrokerRequest request) {
    Checked<BrokerRegistration> checked = RegistrationRequests.registration(request);
    if (checked.isRefused()) {
      return RegisterBrokerResponse.newBuilder().setStatus(checked.refusal()).build();
    }
    RegisterOutcome outcome = table.register(checked.value());
    if (!outcome.accepted()) {
      return RegisterBrokerResponse.newBuilder()
          .setStatus(Codes.status(Code.BAD_REQUEST, outcome.refusal()))
          .build();
    }
    RegisterBrokerResponse.Builder response = RegisterBrokerResponse.newBuilder();
    response.setStatus(Codes.ok());
    outcome.masterAddress().ifPresent(response::setMasterAddress);
    outcome.masterHaAddress().ifPresent(response::setMasterHaAddress);
    return response.build();
  }

  BrokerHeartbeatResponse heartbeat(BrokerHeartbeatRequest request) {
    Checked<BrokerKey> key =
        RegistrationRequests.key(
            request.getClusterName(), request.getBrokerName(), request.getBrokerId());
    if (key.isRefused()) {
      return BrokerHeartbeatResponse.newBuilder().setStatus(key.refusal()).build();
    }
    HeartbeatOutcome outcome = table.heartbeat(key.value(), request.getDataVersion());
    return switch (outcome) {
      case OK -> BrokerHeartbeatResponse.newBuilder().setStatus(Codes.ok()).build();
      case REGISTER_REQUIRED ->
          BrokerHeartbeatResponse.newBuilder()
              .setStatus(
                  Codes.status(
                      Code.OK,
                      "data_version " + request.getDataVersion() + " differs: register again"))
              .setRegisterRequired(true)
              .build();
      // register_required is set too, so a broker that only reads the flag also re-registers
      case NOT_FOUND ->
          BrokerHeartbeatResponse.newBuilder()
              .setStatus(notFound(key.value()))
              .setRegisterRequired(true)
              .build();
    };
  }

  UnregisterBrokerResponse unregister(UnregisterBrokerRequest request) {
    Checked<BrokerKey> key =
        RegistrationRequests.key(
            request.getClusterName(), request.getBrokerName(), request.getBrokerId());
    if (key.isRefused()) {
      return UnregisterBrokerResponse.newBuilder().setStatus(key.refusal()).build();
    }
    Status status = table.unregister(key.value()) ? Codes.ok() : notFound(key.value());
    return UnregisterBrokerResponse.newBuilder().setStatus(status).build();
  }

  QueryRouteResponse queryRoute(QueryRouteRequest request) {
    String topic = request.getTopic();
    String problem = TopicNames.problem(topic);
    if (problem != null) {
      return QueryRouteResponse.newBuilder()
          .setStatus(Codes.status(Code.ILLEGAL_TOPIC, problem))
          .build();
    }
    Optional<TopicRoute> route = table.route(topic);
    // system topics are made by brokers, never by a first send, so they get no provisional route
    if (route.isEmpty() && !TopicNames.isSystem(topic)) {
      route = table.provisionalRoute(topic);
    }
    return route
        .map(r -> QueryRouteResponse.newBuilder().setStatus(Codes.ok()).setRoute(r).build())
        .orElseGet(
            () ->
                QueryRouteResponse.newBuilder()
                    .setStatus(
                        Codes.status(
                            Code.TOPIC_NOT_FOUND,
                            "no registered broker has topic '"
                                + topic
                                + "' or creates it on first send"))
                    .build());
  }

  ListClustersResponse listClusters() {
    return ListClustersResponse.newBuilder()
        .setStatus(Codes.ok())
        .addAllClusters(table.clusters())
        .build();
  }

  ListBrokersResponse listBrokers(ListBrokersRequest request) {
    String cluster = request.getClusterName();
    if (!cluster.isEmpty() && !table.hasCluster(cluster)) {
      return ListBrokersResponse.newBuilder().setStatus(clusterNotFound(cluster)).build();
    }
    return ListBrokersResponse.newBuilder()
        .setStatus(Codes.ok())
        .addAllBrokers(table.brokers(cluster))
        .build();
  }

  ListTopicNamesResponse listTopicNames(ListTopicNamesRequest request) {
    String cluster = request.getClusterName();
    if (!cluster.isEmpty() && !table.hasCluster(cluster)) {
      return ListTopicNamesResponse.newBuilder().setStatus(clusterNotFound(cluster)).build();
    }
    return ListTopicNamesResponse.newBuilder()
        .setStatus(Codes.ok())
        .addAllTopics(table.topicNames(cluster, request.getIncludeSystemTopics()))
        .build();
  }

  private static Status notFound(BrokerKey key) {
    return Codes.status(
        Code.BROKER_NOT_FOUND, "broker " + key + " is not registered here: register again");
  }

  private static Status clusterNotFound(String cluster) {
    return Codes.status(
        Code.CLUSTER_NOT_FOUND, "no broker of cluster '" + cluster + "' is registered");
  }
}
