package io.edgemq.client.admin;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumerLag;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.Permission;
import io.edgemq.client.api.QueueLag;
import io.edgemq.client.api.TopicInfo;
import io.edgemq.client.route.BrokerView;
import io.edgemq.client.route.RouteCache;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.AdminGrpc;
import io.edgemq.protocol.v1.BrokerGroup;
import io.edgemq.protocol.v1.BrokerMember;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CreateGroupRequest;
import io.edgemq.protocol.v1.CreateTopicRequest;
import io.edgemq.protocol.v1.CreateTopicResponse;
import io.edgemq.protocol.v1.DeleteGroupRequest;
import io.edgemq.protocol.v1.DeleteTopicRequest;
import io.edgemq.protocol.v1.GetConsumerLagRequest;
import io.edgemq.protocol.v1.GetConsumerLagResponse;
import io.edgemq.protocol.v1.GetGroupRequest;
import io.edgemq.protocol.v1.GetGroupResponse;
import io.edgemq.protocol.v1.GetTopicRequest;
import io.edgemq.protocol.v1.GetTopicResponse;
import io.edgemq.protocol.v1.GroupConfig;
import io.edgemq.protocol.v1.ListBrokersRequest;
import io.edgemq.protocol.v1.ListBrokersResponse;
import io.edgemq.protocol.v1.ListDeadLettersRequest;
import io.edgemq.protocol.v1.ListDeadLettersResponse;
import io.edgemq.protocol.v1.ListGroupsRequest;
import io.edgemq.protocol.v1.ListTopicsRequest;
import io.edgemq.protocol.v1.OffsetPosition;
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
import io.edgemq.protocol.v1.ResetQueue;
import io.edgemq.protocol.v1.Status;
import io.edgemq.protocol.v1.TopicConfig;
import io.edgemq.protocol.v1.UpdateGroupRequest;
import io.edgemq.protocol.v1.UpdateTopicRequest;
import io.edgemq.protocol.v1.UpdateTopicResponse;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/** The {@link Admin}: blocking calls, fanned out to masters or a topic's route. */
public final class AdminImpl implements Admin {
  private final Rpc rpc;
  private final RouteCache routes;

  private AdminImpl(Rpc rpc) {
    this.rpc = rpc;
    this.routes = new RouteCache(rpc);
  }

  /**
   * @param config the client config
   * @return the admin client
   */
  public static Admin start(ClientConfig config) {
    return new AdminImpl(new Rpc(config, "admin"));
  }

  private <R> R call(
      Endpoint ep,
      BiConsumer<AdminGrpc.AdminStub, io.grpc.stub.StreamObserver<R>> method,
      Function<R, Status> status,
      String what) {
    R r = Calls.join(Calls.<R>unary(o -> method.accept(rpc.admin(ep), o)));
    Calls.check(status.apply(r), what);
    return r;
  }

  /** Master endpoints by broker name, from the first nameserver that answers. */
  private Map<String, Endpoint> masters() {
    ClientException last = null;
    for (InetSocketAddress ns : rpc.config().nameServers()) {
      try {
        ListBrokersResponse r =
            Calls.join(
                Calls.<ListBrokersResponse>unary(
                    o ->
                        rpc.nameServer(ns)
                            .listBrokers(ListBrokersRequest.getDefaultInstance(), o)));
        Calls.check(r.getStatus(), "list brokers at " + ns);
        Map<String, Endpoint> out = new TreeMap<>();
        for (BrokerGroup g : r.getBrokersList()) {
          for (BrokerMember m : g.getMembersList()) {
            if (m.getRole() == BrokerRole.BROKER_ROLE_MASTER) {
              out.put(g.getBrokerName(), Endpoint.of(m.getAddress()));
            }
          }
        }
        return out;
      } catch (ClientException e) {
        last = e;
      }
    }
    throw last;
  }

  private Map<String, Endpoint> routeBrokers(String topic) {
    Map<String, Endpoint> out = new TreeMap<>();
    for (BrokerView b : Calls.join(routes.refresh(topic)).brokers().values()) {
      out.put(b.brokerName(), b.endpoint());
    }
    return out;
  }

  private static TopicInfo info(String broker, TopicConfig c) {
    return new TopicInfo(
        c.getTopic(),
        broker,
        c.getWriteQueueCount(),
        c.getReadQueueCount(),
        switch (c.getPermission()) {
          case PERMISSION_NONE -> Permission.NONE;
          case PERMISSION_READ -> Permission.READ;
          case PERMISSION_WRITE -> Permission.WRITE;
          default -> Permission.READ_WRITE;
        });
  }

  private static io.edgemq.protocol.v1.Permission proto(Permission p) {
    return switch (p) {
      case NONE -> io.edgemq.protocol.v1.Permission.PERMISSION_NONE;
      case READ -> io.edgemq.protocol.v1.Permission.PERMISSION_READ;
      case WRITE -> io.edgemq.protocol.v1.Permission.PERMISSION_WRITE;
      case READ_WRITE -> io.edgemq.protocol.v1.Permission.PERMISSION_READ_WRITE;
    };
  }

  @Override
  public List<TopicInfo> createTopic(String topic, int queues) {
    List<TopicInfo> out = new ArrayList<>();
    Set<String> brokers = masters().keySet();
    if (brokers.isEmpty()) {
      // an empty answer would look like success while creating nothing
      throw new ClientException(
          Code.BROKER_NOT_FOUND_VALUE, "no broker is registered with the nameservers yet");
    }
    for (String broker : brokers) {
      out.add(createTopic(broker, topic, queues, queues, Permission.READ_WRITE));
    }
    return out;
  }

  @Override
  public TopicInfo createTopic(
      String brokerName, String topic, int writeQueues, int readQueues, Permission permission) {
    Endpoint ep = masters().get(brokerName);
    if (ep == null) {
      throw new ClientException(Code.BROKER_NOT_FOUND_VALUE, "no master of " + brokerName);
    }
    CreateTopicRequest req =
        CreateTopicRequest.newBuilder()
            .setTopic(
                TopicConfig.newBuilder()
                    .setTopic(topic)
                    .setWriteQueueCount(writeQueues)
                    .setReadQueueCount(readQueues)
                    .setPermission(proto(permission)))
            .build();
    CreateTopicResponse r =
        call(
            ep, (s, o) -> s.createTopic(req, o), CreateTopicResponse::getStatus, "create " + topic);
    return info(brokerName, r.getTopic());
  }

  @Override
  public List<TopicInfo> updateTopic(
      String topic, int writeQueues, int readQueues, Permission permission) {
    List<TopicInfo> out = new ArrayList<>();
    UpdateTopicRequest req =
        UpdateTopicRequest.newBuilder()
            .setTopic(
                TopicConfig.newBuilder()
                    .setTopic(topic)
                    .setWriteQueueCount(writeQueues)
                    .setReadQueueCount(readQueues)
                    .setPermission(proto(permission)))
            .build();
    routeBrokers(topic)
        .forEach(
            (broker, ep) -> {
              UpdateTopicResponse r =
                  call(
                      ep,
                      (s, o) -> s.updateTopic(req, o),
                      UpdateTopicResponse::getStatus,
                      "update " + topic + " on " + broker);
              out.add(info(broker, r.getTopic()));
            });
    return out;
  }

  @Override
  public void deleteTopic(String topic) {
    DeleteTopicRequest req = DeleteTopicRequest.newBuilder().setTopic(topic).build();
    routeBrokers(topic)
        .forEach(
            (broker, ep) ->
                call(
                    ep,
                    (s, o) -> s.deleteTopic(req, o),
                    io.edgemq.protocol.v1.DeleteTopicResponse::getStatus,
                    "delete " + topic + " on " + broker));
  }

  @Override
  public List<TopicInfo> getTopic(String topic) {
    List<TopicInfo> out = new ArrayList<>();
    GetTopicRequest req = GetTopicRequest.newBuilder().setTopic(topic).build();
    routeBrokers(topic)
        .forEach(
            (broker, ep) -> {
              GetTopicResponse r =
                  call(
                      ep,
                      (s, o) -> s.getTopic(req, o),
                      GetTopicResponse::getStatus,
                      "get " + topic);
              out.add(info(broker, r.getTopic()));
            });
    return out;
  }

  @Override
  public List<TopicInfo> listTopics() {
    List<TopicInfo> out = new ArrayList<>();
    masters()
        .forEach(
            (broker, ep) -> {
              var r =
                  call(
                      ep,
                      (s, o) -> s.listTopics(ListTopicsRequest.getDefaultInstance(), o),
                      io.edgemq.protocol.v1.ListTopicsResponse::getStatus,
                      "list topics on " + broker);
              r.getTopicsList().forEach(c -> out.add(info(broker, c)));
            });
    out.sort(Comparator.comparing(TopicInfo::topic).thenComparing(TopicInfo::brokerName));
    return out;
  }

  @Override
  public List<String> brokerNames() {
    return List.copyOf(masters().keySet());
  }

  @Override
  public void createGroup(String group) {
    CreateGroupRequest req =
        CreateGroupRequest.newBuilder().setGroup(GroupConfig.newBuilder().setGroup(group)).build();
    masters()
        .forEach(
            (broker, ep) ->
                call(
                    ep,
                    (s, o) -> s.createGroup(req, o),
                    io.edgemq.protocol.v1.CreateGroupResponse::getStatus,
                    "create group " + group + " on " + broker));
  }

  @Override
  public void setRetryPolicy(String group, int maxRetries, List<java.time.Duration> backoff) {
    updateGroup(
        group,
        g -> {
          g.setMaxRetries(maxRetries).clearRetryBackoffMs();
          backoff.forEach(d -> g.addRetryBackoffMs(d.toMillis()));
        });
  }

  @Override
  public void setConsumeEnabled(String group, boolean enabled) {
    updateGroup(group, g -> g.setConsumeDisabled(!enabled));
  }

  @Override
  public boolean consumeEnabled(String group) {
    boolean found = false;
    for (Map.Entry<String, Endpoint> e : masters().entrySet()) {
      GetGroupResponse cur = getGroup(e.getValue(), group);
      if (cur.getStatus().getCode() == Code.GROUP_NOT_FOUND) {
        continue;
      }
      Calls.check(cur.getStatus(), "get group " + group + " on " + e.getKey());
      found = true;
      if (cur.getGroup().getConsumeDisabled()) {
        return false;
      }
    }
    if (!found) {
      throw new ClientException(Code.GROUP_NOT_FOUND_VALUE, "no master knows group " + group);
    }
    return true;
  }

  private GetGroupResponse getGroup(Endpoint ep, String group) {
    GetGroupRequest req = GetGroupRequest.newBuilder().setGroup(group).build();
    return Calls.join(Calls.<GetGroupResponse>unary(o -> rpc.admin(ep).getGroup(req, o)));
  }

  /**
   * Changes a group's configuration on every master, keeping the fields {@code change} leaves
   * alone; creates the group where a master does not know it.
   */
  private void updateGroup(String group, Consumer<GroupConfig.Builder> change) {
    masters()
        .forEach(
            (broker, ep) -> {
              GetGroupResponse cur = getGroup(ep, group);
              if (cur.getStatus().getCode() == Code.GROUP_NOT_FOUND) {
                GroupConfig.Builder g = GroupConfig.newBuilder().setGroup(group);
                change.accept(g);
                CreateGroupRequest req = CreateGroupRequest.newBuilder().setGroup(g).build();
                call(
                    ep,
                    (s, o) -> s.createGroup(req, o),
                    io.edgemq.protocol.v1.CreateGroupResponse::getStatus,
                    "create group " + group + " on " + broker);
              } else {
                Calls.check(cur.getStatus(), "get group " + group + " on " + broker);
                GroupConfig.Builder g = cur.getGroup().toBuilder();
                change.accept(g);
                UpdateGroupRequest req = UpdateGroupRequest.newBuilder().setGroup(g).build();
                call(
                    ep,
                    (s, o) -> s.updateGroup(req, o),
                    io.edgemq.protocol.v1.UpdateGroupResponse::getStatus,
                    "update group " + group + " on " + broker);
              }
            });
  }

  @Override
  public List<MessageView> deadLetters(String group, int maxPerBroker) {
    List<MessageView> out = new ArrayList<>();
    masters()
        .forEach(
            (broker, ep) ->
                deadLetterPage(ep, broker, group, 0, maxPerBroker)
                    .getMessagesList()
                    .forEach(m -> out.add(MessageView.of(m))));
    return out;
  }

  @Override
  public Optional<MessageView> deadLetter(String group, String messageId) {
    for (Map.Entry<String, Endpoint> e : masters().entrySet()) {
      long offset = 0;
      while (true) {
        ListDeadLettersResponse page = deadLetterPage(e.getValue(), e.getKey(), group, offset, 256);
        for (io.edgemq.protocol.v1.Message m : page.getMessagesList()) {
          if (m.getMessageId().equalsIgnoreCase(messageId)) {
            return Optional.of(MessageView.of(m));
          }
        }
        if (page.getMessagesCount() == 0 || page.getNextOffset() <= offset) {
          break;
        }
        offset = page.getNextOffset();
      }
    }
    return Optional.empty();
  }

  private ListDeadLettersResponse deadLetterPage(
      Endpoint ep, String broker, String group, long offset, int max) {
    ListDeadLettersRequest req =
        ListDeadLettersRequest.newBuilder()
            .setGroup(group)
            .setOffset(offset)
            .setMaxMessages(max)
            .build();
    ListDeadLettersResponse r =
        Calls.join(
            Calls.<ListDeadLettersResponse>unary(o -> rpc.admin(ep).listDeadLetters(req, o)));
    if (r.getStatus().getCode() == Code.OFFSET_GONE) {
      return deadLetterPage(ep, broker, group, r.getMinOffset(), max);
    }
    Calls.check(r.getStatus(), "list dead letters of " + group + " on " + broker);
    return r;
  }

  @Override
  public MessageQueue resendDeadLetter(String group, String messageId) {
    ResendDeadLetterRequest req =
        ResendDeadLetterRequest.newBuilder().setGroup(group).setMessageId(messageId).build();
    for (Map.Entry<String, Endpoint> e : masters().entrySet()) {
      ResendDeadLetterResponse r =
          Calls.join(
              Calls.<ResendDeadLetterResponse>unary(
                  o -> rpc.admin(e.getValue()).resendDeadLetter(req, o)));
      if (Codes.isOk(r.getStatus())) {
        return new MessageQueue(
            r.getQueue().getTopic(), r.getQueue().getBrokerName(), r.getQueue().getQueueId());
      }
      if (r.getStatus().getCode() != Code.MESSAGE_NOT_FOUND) {
        throw Calls.failure(r.getStatus(), "resend " + messageId + " on " + e.getKey());
      }
    }
    throw new ClientException(
        Code.MESSAGE_NOT_FOUND_VALUE, "no dead letter " + messageId + " of group " + group);
  }

  @Override
  public void deleteGroup(String group) {
    DeleteGroupRequest req = DeleteGroupRequest.newBuilder().setGroup(group).build();
    masters()
        .forEach(
            (broker, ep) ->
                call(
                    ep,
                    (s, o) -> s.deleteGroup(req, o),
                    io.edgemq.protocol.v1.DeleteGroupResponse::getStatus,
                    "delete group " + group + " on " + broker));
  }

  @Override
  public List<String> listGroups() {
    TreeSet<String> out = new TreeSet<>();
    masters()
        .forEach(
            (broker, ep) -> {
              var r =
                  call(
                      ep,
                      (s, o) -> s.listGroups(ListGroupsRequest.getDefaultInstance(), o),
                      io.edgemq.protocol.v1.ListGroupsResponse::getStatus,
                      "list groups on " + broker);
              r.getGroupsList().forEach(g -> out.add(g.getGroup()));
            });
    return List.copyOf(out);
  }

  @Override
  public ConsumerLag consumerLag(String group, String topic) {
    List<QueueLag> queues = new ArrayList<>();
    long total = 0;
    GetConsumerLagRequest req =
        GetConsumerLagRequest.newBuilder().setGroup(group).setTopic(topic).build();
    for (Map.Entry<String, Endpoint> e : routeBrokers(topic).entrySet()) {
      GetConsumerLagResponse r =
          Calls.join(
              Calls.<GetConsumerLagResponse>unary(
                  o -> rpc.admin(e.getValue()).getConsumerLag(req, o)));
      if (r.getStatus().getCode() == Code.GROUP_NOT_FOUND) {
        continue; // no offsets or members of the group on this broker yet
      }
      Calls.check(r.getStatus(), "lag of " + group + " on " + e.getKey());
      for (io.edgemq.protocol.v1.QueueLag q : r.getQueuesList()) {
        queues.add(
            new QueueLag(
                new MessageQueue(
                    q.getQueue().getTopic(),
                    q.getQueue().getBrokerName(),
                    q.getQueue().getQueueId()),
                q.getClientId(),
                q.hasCommittedOffset() ? q.getCommittedOffset() : -1,
                q.getMinOffset(),
                q.getMaxOffset(),
                q.getLag()));
      }
      total += r.getTotalLag();
    }
    return new ConsumerLag(group, queues, total);
  }

  @Override
  public Map<MessageQueue, Long> resetOffset(String group, String topic, ConsumeFrom to) {
    return reset(
        ResetOffsetRequest.newBuilder()
            .setGroup(group)
            .setTopic(topic)
            .setPosition(
                to == ConsumeFrom.EARLIEST
                    ? OffsetPosition.OFFSET_POSITION_EARLIEST
                    : OffsetPosition.OFFSET_POSITION_LATEST)
            .build());
  }

  @Override
  public Map<MessageQueue, Long> resetOffset(String group, String topic, Instant time) {
    return reset(
        ResetOffsetRequest.newBuilder()
            .setGroup(group)
            .setTopic(topic)
            .setTimestampMs(time.toEpochMilli())
            .build());
  }

  private Map<MessageQueue, Long> reset(ResetOffsetRequest req) {
    Map<MessageQueue, Long> out = new TreeMap<>();
    for (Map.Entry<String, Endpoint> e : routeBrokers(req.getTopic()).entrySet()) {
      ResetOffsetResponse r =
          call(
              e.getValue(),
              (stub, o) -> stub.resetOffset(req, o),
              ResetOffsetResponse::getStatus,
              "reset offsets of " + req.getGroup() + " on " + e.getKey());
      for (ResetQueue q : r.getQueuesList()) {
        out.put(
            new MessageQueue(
                q.getQueue().getTopic(), q.getQueue().getBrokerName(), q.getQueue().getQueueId()),
            q.getOffset());
      }
    }
    return out;
  }

  @Override
  public Optional<MessageView> queryMessageById(String messageId) {
    QueryMessageByIdRequest req =
        QueryMessageByIdRequest.newBuilder().setMessageId(messageId).build();
    for (Endpoint ep : masters().values()) {
      QueryMessageByIdResponse r =
          Calls.join(
              Calls.<QueryMessageByIdResponse>unary(o -> rpc.admin(ep).queryMessageById(req, o)));
      if (Codes.isOk(r.getStatus())) {
        return Optional.of(MessageView.of(r.getMessage()));
      }
      if (r.getStatus().getCode() != Code.MESSAGE_NOT_FOUND) {
        throw Calls.failure(r.getStatus(), "query " + messageId);
      }
    }
    return Optional.empty();
  }

  @Override
  public List<MessageView> queryMessageByKey(
      String topic, String key, long beginMs, long endMs, int max) {
    QueryMessageByKeyRequest req =
        QueryMessageByKeyRequest.newBuilder()
            .setTopic(topic)
            .setKey(key)
            .setBeginTimestampMs(beginMs)
            .setEndTimestampMs(endMs)
            .setMaxMessages(max)
            .build();
    List<MessageView> out = new ArrayList<>();
    for (Map.Entry<String, Endpoint> e : routeBrokers(topic).entrySet()) {
      QueryMessageByKeyResponse r =
          call(
              e.getValue(),
              (s, o) -> s.queryMessageByKey(req, o),
              QueryMessageByKeyResponse::getStatus,
              "query key " + key + " on " + e.getKey());
      r.getMessagesList().forEach(m -> out.add(MessageView.of(m)));
    }
    out.sort(Comparator.comparingLong(MessageView::storeTimestampMs).reversed());
    return out;
  }

  @Override
  public List<MessageView> queryMessagesByTime(String topic, long beginMs, long endMs, int max) {
    QueryMessagesByTimeRequest req =
        QueryMessagesByTimeRequest.newBuilder()
            .setTopic(topic)
            .setBeginTimestampMs(beginMs)
            .setEndTimestampMs(endMs)
            .setMaxMessages(max)
            .build();
    List<MessageView> out = new ArrayList<>();
    for (Map.Entry<String, Endpoint> e : routeBrokers(topic).entrySet()) {
      QueryMessagesByTimeResponse r =
          call(
              e.getValue(),
              (s, o) -> s.queryMessagesByTime(req, o),
              QueryMessagesByTimeResponse::getStatus,
              "query " + topic + " by time on " + e.getKey());
      r.getMessagesList().forEach(m -> out.add(MessageView.of(m)));
    }
    out.sort(
        Comparator.comparingLong(MessageView::storeTimestampMs)
            .thenComparing(m -> m.queue().brokerName())
            .thenComparingInt(m -> m.queue().queueId())
            .thenComparingLong(MessageView::queueOffset));
    int limit = max == 0 ? 32 : max;
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  @Override
  public List<io.edgemq.client.api.TraceEntry> trace(String messageIdOrKey) {
    if (messageIdOrKey == null || messageIdOrKey.isBlank()) {
      throw new IllegalArgumentException("a message id or key is required");
    }
    return TraceQuery.entries(
        queryMessageByKey(
            io.edgemq.client.trace.TraceMessages.TOPIC,
            messageIdOrKey,
            0,
            0,
            TraceQuery.MAX_PER_BROKER));
  }

  @Override
  public void close() {
    routes.close();
    rpc.close();
  }
}
