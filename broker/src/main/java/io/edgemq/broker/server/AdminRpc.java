package io.edgemq.broker.server;

import io.edgemq.broker.group.GroupAdmin;
import io.edgemq.broker.offset.OffsetReset;
import io.edgemq.broker.query.ConsumerLag;
import io.edgemq.broker.query.MessageQueries;
import io.edgemq.broker.retry.DeadLetters;
import io.edgemq.broker.topic.TopicAdmin;
import io.edgemq.protocol.v1.AdminGrpc;
import io.edgemq.protocol.v1.CreateGroupRequest;
import io.edgemq.protocol.v1.CreateGroupResponse;
import io.edgemq.protocol.v1.CreateTopicRequest;
import io.edgemq.protocol.v1.CreateTopicResponse;
import io.edgemq.protocol.v1.DeleteGroupRequest;
import io.edgemq.protocol.v1.DeleteGroupResponse;
import io.edgemq.protocol.v1.DeleteTopicRequest;
import io.edgemq.protocol.v1.DeleteTopicResponse;
import io.edgemq.protocol.v1.GetConsumerLagRequest;
import io.edgemq.protocol.v1.GetConsumerLagResponse;
import io.edgemq.protocol.v1.GetGroupRequest;
import io.edgemq.protocol.v1.GetGroupResponse;
import io.edgemq.protocol.v1.GetTopicRequest;
import io.edgemq.protocol.v1.GetTopicResponse;
import io.edgemq.protocol.v1.GetTopicStatsRequest;
import io.edgemq.protocol.v1.GetTopicStatsResponse;
import io.edgemq.protocol.v1.ListDeadLettersRequest;
import io.edgemq.protocol.v1.ListDeadLettersResponse;
import io.edgemq.protocol.v1.ListGroupMembersRequest;
import io.edgemq.protocol.v1.ListGroupMembersResponse;
import io.edgemq.protocol.v1.ListGroupsRequest;
import io.edgemq.protocol.v1.ListGroupsResponse;
import io.edgemq.protocol.v1.ListTopicsRequest;
import io.edgemq.protocol.v1.ListTopicsResponse;
import io.edgemq.protocol.v1.QueryMessageByIdRequest;
import io.edgemq.protocol.v1.QueryMessageByIdResponse;
import io.edgemq.protocol.v1.QueryMessageByKeyRequest;
import io.edgemq.protocol.v1.QueryMessageByKeyResponse;
import io.edgemq.protocol.v1.QueryMessagesByTimeRequest;
import io.edgemq.protocol.v1.QueryMessagesByTimeResponse;
import io.edgemq.protocol.v1.ResendDeadLetterRequest;
import io.edgemq.protocol.v1.ResendDeadLetterResponse;
import io.edgemq.protocol.v1.ResetOffsetRequest;
import io.edgemq.protocol.v1.ResetOffsetResponse;
import io.edgemq.protocol.v1.UpdateGroupRequest;
import io.edgemq.protocol.v1.UpdateGroupResponse;
import io.edgemq.protocol.v1.UpdateTopicRequest;
import io.edgemq.protocol.v1.UpdateTopicResponse;
import io.grpc.stub.StreamObserver;

/**
 * {@code edgemq.v1.Admin}: topics, consumer groups, offset resets, consumer lag and message
 * queries.
 */
public final class AdminRpc extends AdminGrpc.AdminImplBase {
  private final TopicAdmin topics;
  private final MessageQueries queries;
  private final ConsumerLag lag;
  private final GroupAdmin groups;
  private final OffsetReset reset;
  private final DeadLetters deadLetters;

  /**
   * @param topics the topic RPCs
   * @param queries the message queries
   * @param lag the lag query
   * @param groups the group RPCs
   * @param reset the offset reset
   * @param deadLetters the dead-letter RPCs
   */
  public AdminRpc(
      TopicAdmin topics,
      MessageQueries queries,
      ConsumerLag lag,
      GroupAdmin groups,
      OffsetReset reset,
      DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
    this.topics = topics;
    this.queries = queries;
    this.lag = lag;
    this.groups = groups;
    this.reset = reset;
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

  @Override
  public void queryMessagesByTime(
      QueryMessagesByTimeRequest req, StreamObserver<QueryMessagesByTimeResponse> obs) {
    Calls.answer(
        obs,
        () -> queries.byTime(req),
        s -> QueryMessagesByTimeResponse.newBuilder().setStatus(s).build(),
        "QueryMessagesByTime");
  }

  @Override
  public void listDeadLetters(
      ListDeadLettersRequest req, StreamObserver<ListDeadLettersResponse> obs) {
    Calls.answer(
        obs,
        () -> deadLetters.list(req),
        s -> ListDeadLettersResponse.newBuilder().setStatus(s).build(),
        "ListDeadLetters");
  }

  @Override
  public void resendDeadLetter(
      ResendDeadLetterRequest req, StreamObserver<ResendDeadLetterResponse> obs) {
    Calls.answerAsync(
        obs,
        () -> deadLetters.resend(req),
        s -> ResendDeadLetterResponse.newBuilder().setStatus(s).build(),
        "ResendDeadLetter");
  }

  @Override
  public void createGroup(CreateGroupRequest req, StreamObserver<CreateGroupResponse> obs) {
    Calls.answer(
        obs,
        () -> groups.create(req),
        s -> CreateGroupResponse.newBuilder().setStatus(s).build(),
        "CreateGroup");
  }

  @Override
  public void updateGroup(UpdateGroupRequest req, StreamObserver<UpdateGroupResponse> obs) {
    Calls.answer(
        obs,
        () -> groups.update(req),
        s -> UpdateGroupResponse.newBuilder().setStatus(s).build(),
        "UpdateGroup");
  }

  @Override
  public void deleteGroup(DeleteGroupRequest req, StreamObserver<DeleteGroupResponse> obs) {
    Calls.answer(
        obs,
        () -> groups.delete(req),
        s -> DeleteGroupResponse.newBuilder().setStatus(s).build(),
        "DeleteGroup");
  }

  @Override
  public void getGroup(GetGroupRequest req, StreamObserver<GetGroupResponse> obs) {
    Calls.answer(
        obs,
        () -> groups.get(req),
        s -> GetGroupResponse.newBuilder().setStatus(s).build(),
        "GetGroup");
  }

  @Override
  public void listGroups(ListGroupsRequest req, StreamObserver<ListGroupsResponse> obs) {
    Calls.answer(
        obs,
        () -> groups.list(req),
        s -> ListGroupsResponse.newBuilder().setStatus(s).build(),
        "ListGroups");
  }

  @Override
  public void listGroupMembers(
      ListGroupMembersRequest req, StreamObserver<ListGroupMembersResponse> obs) {
    Calls.answer(
        obs,
        () -> groups.members(req),
        s -> ListGroupMembersResponse.newBuilder().setStatus(s).build(),
        "ListGroupMembers");
  }

  @Override
  public void resetOffset(ResetOffsetRequest req, StreamObserver<ResetOffsetResponse> obs) {
    Calls.answer(
        obs,
        () -> reset.reset(req),
        s -> ResetOffsetResponse.newBuilder().setStatus(s).build(),
        "ResetOffset");
  }
}
