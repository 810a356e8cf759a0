package io.edgemq.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.broker.TestBroker;
import io.edgemq.protocol.v1.ClientInfo;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CommitOffsetRequest;
import io.edgemq.protocol.v1.ConsumeMode;
import io.edgemq.protocol.v1.ConsumerRegistration;
import io.edgemq.protocol.v1.CreateGroupRequest;
import io.edgemq.protocol.v1.DeleteGroupRequest;
import io.edgemq.protocol.v1.GetGroupRequest;
import io.edgemq.protocol.v1.GroupConfig;
import io.edgemq.protocol.v1.GroupMember;
import io.edgemq.protocol.v1.HeartbeatRequest;
import io.edgemq.protocol.v1.HeartbeatResponse;
import io.edgemq.protocol.v1.ListGroupMembersRequest;
import io.edgemq.protocol.v1.ListGroupsRequest;
import io.edgemq.protocol.v1.QueryOffsetRequest;
import io.edgemq.protocol.v1.Subscription;
import io.edgemq.protocol.v1.UpdateGroupRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupAdminTest {
  @TempDir Path dir;

  private static GroupConfig group(String name, boolean disabled) {
    return GroupConfig.newBuilder().setGroup(name).setConsumeDisabled(disabled).build();
  }

  private static Code create(TestBroker b, GroupConfig g) {
    return b.admin
        .createGroup(CreateGroupRequest.newBuilder().setGroup(g).build())
        .getStatus()
        .getCode();
  }

  private static HeartbeatResponse heartbeat(TestBroker b, String client, String group) {
    return b.client.heartbeat(
        HeartbeatRequest.newBuilder()
            .setClient(ClientInfo.newBuilder().setClientId(client))
            .addProducerGroups("pg")
            .addConsumers(
                ConsumerRegistration.newBuilder()
                    .setGroup(group)
                    .setConsumeMode(ConsumeMode.CONSUME_MODE_CLUSTERING)
                    .addSubscriptions(Subscription.newBuilder().setTopic("t")))
            .build());
  }

  @Test
  void shouldCreateUpdateGetListAndDeleteGroupsAndKeepThemAcrossARestart() throws Exception {
    try (TestBroker b = TestBroker.start(dir)) {
      assertThat(create(b, group("billing", false))).isEqualTo(Code.OK);
      assertThat(create(b, group("audit", true))).isEqualTo(Code.OK);
      assertThat(create(b, group("billing", true))).isEqualTo(Code.ALREADY_EXISTS);
      assertThat(create(b, group("%sys", false))).isEqualTo(Code.ILLEGAL_GROUP);
      assertThat(create(b, group("a b", false))).isEqualTo(Code.ILLEGAL_GROUP);

      var get = b.admin.getGroup(GetGroupRequest.newBuilder().setGroup("audit").build());
      assertThat(get.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(get.getGroup()).isEqualTo(group("audit", true));
      assertThat(
              b.admin
                  .getGroup(GetGroupRequest.newBuilder().setGroup("nope").build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.GROUP_NOT_FOUND);
      assertThat(
              b.admin
                  .getGroup(GetGroupRequest.newBuilder().setGroup("%x").build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.ILLEGAL_GROUP);

      var upd =
          b.admin.updateGroup(
              UpdateGroupRequest.newBuilder().setGroup(group("audit", false)).build());
      assertThat(upd.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(upd.getGroup()).isEqualTo(group("audit", false));
      assertThat(
              b.admin
                  .updateGroup(
                      UpdateGroupRequest.newBuilder().setGroup(group("nope", true)).build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.GROUP_NOT_FOUND);

      b.createTopic("t", 1);
      b.client.commitOffset(
          CommitOffsetRequest.newBuilder()
              .setConsumerGroup("billing")
              .setTopic("t")
              .setQueueId(0)
              .setOffset(0)
              .build());
      var del = b.admin.deleteGroup(DeleteGroupRequest.newBuilder().setGroup("billing").build());
      assertThat(del.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(
              b.client
                  .queryOffset(
                      QueryOffsetRequest.newBuilder()
                          .setConsumerGroup("billing")
                          .setTopic("t")
                          .setQueueId(0)
                          .build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.OFFSET_NOT_FOUND);
      assertThat(
              b.admin
                  .deleteGroup(DeleteGroupRequest.newBuilder().setGroup("billing").build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.GROUP_NOT_FOUND);
      assertThat(create(b, group("zeta", true))).isEqualTo(Code.OK);
      assertThat(b.admin.listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList())
          .containsExactly(group("audit", false), group("zeta", true));
    }
    assertThat(Files.readAllLines(dir.resolve("groups")))
        .containsExactly(GroupTable.HEADER, "audit false - -", "zeta true - -");
    try (TestBroker b = TestBroker.start(dir)) {
      assertThat(b.admin.listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList())
          .containsExactly(group("audit", false), group("zeta", true));
      assertThat(b.admin.getGroup(GetGroupRequest.newBuilder().setGroup("zeta").build()).getGroup())
          .isEqualTo(group("zeta", true));
    }
  }

  @Test
  void shouldAutoCreateGroupsOnHeartbeatAndListTheirMembers() throws Exception {
    try (TestBroker b = TestBroker.start(dir)) {
      b.createTopic("t", 4);
      HeartbeatResponse h1 = heartbeat(b, "c1", "implicit");
      assertThat(h1.getAssignments(0).getStatus().getCode()).isEqualTo(Code.OK);
      HeartbeatResponse h2 = heartbeat(b, "c2", "implicit");
      assertThat(h2.getAssignments(0).getQueuesCount()).isEqualTo(2);

      assertThat(
              b.admin
                  .getGroup(GetGroupRequest.newBuilder().setGroup("implicit").build())
                  .getGroup())
          .isEqualTo(group("implicit", false));
      var list = b.admin.listGroups(ListGroupsRequest.getDefaultInstance());
      assertThat(list.getGroupsList()).containsExactly(group("implicit", false));
      assertThat(list.getProducerGroupsList()).containsExactly("pg");

      var members =
          b.admin.listGroupMembers(
              ListGroupMembersRequest.newBuilder().setGroup("implicit").build());
      assertThat(members.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(members.getMembersList())
          .extracting(m -> m.getClient().getClientId())
          .containsExactly("c1", "c2");
      GroupMember c1 = members.getMembers(0);
      assertThat(c1.getProducer()).isFalse();
      assertThat(c1.getConsumeMode()).isEqualTo(ConsumeMode.CONSUME_MODE_CLUSTERING);
      assertThat(c1.getSubscriptions(0).getTopic()).isEqualTo("t");
      assertThat(c1.getAssignedQueuesList()).extracting(q -> q.getQueueId()).containsExactly(0, 1);
      assertThat(c1.getLastHeartbeatMs()).isPositive();
      assertThat(c1.hasPeerAddress()).isTrue();

      var producers =
          b.admin.listGroupMembers(ListGroupMembersRequest.newBuilder().setGroup("pg").build());
      assertThat(producers.getMembersList())
          .extracting(m -> m.getClient().getClientId(), GroupMember::getProducer)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("c1", true),
              org.assertj.core.groups.Tuple.tuple("c2", true));
      assertThat(
              b.admin
                  .listGroupMembers(ListGroupMembersRequest.newBuilder().setGroup("nope").build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.GROUP_NOT_FOUND);
      assertThat(
              b.admin
                  .listGroupMembers(ListGroupMembersRequest.newBuilder().setGroup("a b").build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.ILLEGAL_GROUP);

      // an operator disables consumption: no queues, pulls refused
      b.admin.updateGroup(
          UpdateGroupRequest.newBuilder().setGroup(group("implicit", true)).build());
      HeartbeatResponse off = heartbeat(b, "c1", "implicit");
      assertThat(off.getAssignments(0).getStatus().getCode()).isEqualTo(Code.NO_READ_PERMISSION);
      assertThat(off.getAssignments(0).getQueuesCount()).isZero();
      assertThat(
              b.client
                  .pull(
                      TestBroker.pullRequest("t", 0, 0)
                          .setConsumerGroup("implicit")
                          .setClientId("c1")
                          .build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.NO_READ_PERMISSION);
    }
  }
}
