package io.edgemq.broker.server;

import io.edgemq.broker.query.ConsumerLag;
import io.edgemq.broker.query.MessageQueries;
import io.edgemq.broker.topic.TopicAdmin;
import io.edgemq.protocol.v1.AdminGrpc;
import io.edgemq.protocol.v1.CreateTopicRequest;
import io.edgemq.protocol.v1.CreateTopicResponse;
import io.edgemq.protocol.v1.DeleteTopicRequest;
import io.edgemq.protocol.v1.DeleteTopicResponse;
import io.edgemq.protocol.v1.GetConsumerLagRequest;
import io.edgemq.protocol.v1.GetConsumerLagResponse;
import io.edgemq.protocol.v1.GetTopicRequest;
import io.edgemq.protocol.v1.GetTopicResponse;
import io.edgemq.protocol.v1.GetTopicStatsRequest;
import io.edgemq.protocol.v1.GetTopicStatsResponse;
import io.edgemq.protocol.v1.ListTopicsRequest;
import io.edgemq.protocol.v1.ListTopicsResponse;
import io.edgemq.protocol.v1.QueryMessageByIdRequest;
import io.edgemq.protocol.v1.QueryMessageByIdResponse;
import io.edgemq.protocol.v1.QueryMessageByKeyRequest;
import io.edgemq.protocol.v1.QueryMessageByKeyResponse;
import io.edgemq.protocol.v1.UpdateTopicRequest;
import io.edgemq.protocol.v1.UpdateTopicResponse;
import io.grpc.stub.StreamObserver;

/**
 * {@code edgemq.v1.Admin}: topics, consumer lag and message queries. The group RPCs and ResetOffset
 * are not implemented yet and answer gRPC {@code UNIMPLEMENTED}.
 */
public final class AdminRpc extends AdminGrpc.AdminImplBase {
  private final TopicAdmin topics;
  private final MessageQueries queries;
  private final ConsumerLag lag;

  /**
   * @param topics the topic RPCs
   * @param queries the message queries
   * @param lag the lag query
   */
  public AdminRpc(TopicAdmin topics, MessageQueries queries, ConsumerLag lag) {
    this.topics = topics;
    this.queries = queries;
    this.lag = lag;
  }

  @Override
  public void createTopic(CreateTopicRequest req, StreamObserver<CreateTopicResponse> obs) {
    Calls.answer(
        obs,
        () -> topics.create(req),
        s -> CreateTopicResponse.newBuilder().setStatus(s).build(),
        "CreateTopic");
  }

  @Override
  public void updateTopic(UpdateTopicRequest req, StreamObserver<UpdateTopicResponse> obs) {
    Calls.answer(
        obs,
        () -> topics.update(req),
        s -> UpdateTopicResponse.newBuilder().setStatus(s).build(),
        "UpdateTopic");
  }

  @Override
  public void deleteTopic(DeleteTopicRequest req, StreamObserver<DeleteTopicResponse> obs) {
    Calls.answer(
        obs,
        () -> topics.delete(req),
        s -> DeleteTopicResponse.newBuilder().setStatus(s).build(),
        "DeleteTopic");
  }

  @Override
  public void getTopic(GetTopicRequest req, StreamObserver<GetTopicResponse> obs) {
    Calls.answer(
        obs,
        () -> topics.get(req),
        s -> GetTopicResponse.newBuilder().setStatus(s).build(),
        "GetTopic");
  }

  @Override
  public void listTopics(ListTopicsRequest req, StreamObserver<ListTopicsResponse> obs) {
    Calls.answer(
        obs,
        () -> topics.list(req),
        s -> ListTopicsResponse.newBuilder().setStatus(s).build(),
        "ListTopics");
  }

  @Override
  public void getTopicStats(GetTopicStatsRequest req, StreamObserver<GetTopicStatsResponse> obs) {
    Calls.answer(
        obs,
        () -> topics.stats(req),
        s -> GetTopicStatsResponse.newBuilder().setStatus(s).build(),
        "GetTopicStats");
  }

  @Override
  public void getConsumerLag(
      GetConsumerLagRequest req, StreamObserver<GetConsumerLagResponse> obs) {
    Calls.answer(
        obs,
        () -> lag.lag(req),
        s -> GetConsumerLagResponse.newBuilder().setStatus(s).build(),
        "GetConsumerLag");
  }

  @Override
  public void queryMessageById(
      QueryMessageByIdRequest req, StreamObserver<QueryMessageByIdResponse> obs) {
    Calls.answer(
        obs,
        () -> queries.byId(req),
        s -> QueryMessageByIdResponse.newBuilder().setStatus(s).build(),
        "QueryMessageById");
  }

  @Override
  public void queryMessageByKey(
      QueryMessageByKeyRequest req, StreamObserver<QueryMessageByKeyResponse> obs) {
    Calls.answer(
        obs,
        () -> queries.byKey(req),
        s -> QueryMessageByKeyResponse.newBuilder().setStatus(s).build(),
        "QueryMessageByKey");
  }
}
