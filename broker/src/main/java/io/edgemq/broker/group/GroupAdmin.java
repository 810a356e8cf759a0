package io.edgemq.broker.group;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CreateGroupRequest;
import io.edgemq.protocol.v1.CreateGroupResponse;
import io.edgemq.protocol.v1.DeleteGroupRequest;
import io.edgemq.protocol.v1.DeleteGroupResponse;
import io.edgemq.protocol.v1.GetGroupRequest;
import io.edgemq.protocol.v1.GetGroupResponse;
import io.edgemq.protocol.v1.GroupConfig;
import io.edgemq.protocol.v1.GroupMember;
import io.edgemq.protocol.v1.ListGroupMembersRequest;
import io.edgemq.protocol.v1.ListGroupMembersResponse;
import io.edgemq.protocol.v1.ListGroupsRequest;
import io.edgemq.protocol.v1.ListGroupsResponse;
import io.edgemq.protocol.v1.UpdateGroupRequest;
import io.edgemq.protocol.v1.UpdateGroupResponse;
import java.util.List;
import java.util.function.Consumer;

/** The consumer group RPCs of {@code edgemq.v1.Admin}. */
public final class GroupAdmin {
  private final boolean master;
  private final GroupTable table;
  private final GroupManager groups;
  private final Consumer<String> onDelete;

  /**
   * @param master whether this broker takes admin writes
   * @param table the group table
   * @param groups the live members
   * @param onDelete called with a deleted group's name (its offsets go)
   */
  public GroupAdmin(
      boolean master, GroupTable table, GroupManager groups, Consumer<String> onDelete) {
    this.master = master;
    this.table = table;
    this.groups = groups;
    this.onDelete = onDelete;
  }

  private void requireMaster() {
    if (!master) {
      throw new Rejection(
          Code.NOT_LEADER, "this broker is a replica: send admin writes to the master");
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public CreateGroupResponse create(CreateGroupRequest req) {
    try {
      Names.checkConsumerGroup(req.getGroup().getGroup());
      requireMaster();
      GroupConfig g = table.create(req.getGroup());
      return CreateGroupResponse.newBuilder().setStatus(Codes.ok()).setGroup(g).build();
    } catch (Rejection r) {
      return CreateGroupResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public UpdateGroupResponse update(UpdateGroupRequest req) {
    try {
      Names.checkConsumerGroup(req.getGroup().getGroup());
      requireMaster();
      GroupConfig g = table.update(req.getGroup());
      return UpdateGroupResponse.newBuilder().setStatus(Codes.ok()).setGroup(g).build();
    } catch (Rejection r) {
      return UpdateGroupResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public DeleteGroupResponse delete(DeleteGroupRequest req) {
    try {
      Names.checkConsumerGroup(req.getGroup());
      requireMaster();
      table.delete(req.getGroup());
      onDelete.accept(req.getGroup());
      return DeleteGroupResponse.newBuilder().setStatus(Codes.ok()).build();
    } catch (Rejection r) {
      return DeleteGroupResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public GetGroupResponse get(GetGroupRequest req) {
    try {
      Names.checkConsumerGroup(req.getGroup());
      return GetGroupResponse.newBuilder()
          .setStatus(Codes.ok())
          .setGroup(table.require(req.getGroup()))
          .build();
    } catch (Rejection r) {
      return GetGroupResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public ListGroupsResponse list(ListGroupsRequest req) {
    return ListGroupsResponse.newBuilder()
        .setStatus(Codes.ok())
        .addAllGroups(table.all())
        .addAllProducerGroups(groups.producerGroups())
        .build();
  }

  /**
   * @param req the request
   * @return the answer
   */
  public ListGroupMembersResponse members(ListGroupMembersRequest req) {
    try {
      Names.checkProducerGroup(req.getGroup());
      List<GroupMember> members = groups.members(req.getGroup());
      if (members.isEmpty() && table.find(req.getGroup()).isEmpty()) {
        throw new Rejection(
            Code.GROUP_NOT_FOUND,
            "'" + req.getGroup() + "' is neither a consumer group nor a producer group here");
      }
      return ListGroupMembersResponse.newBuilder()
          .setStatus(Codes.ok())
          .addAllMembers(members)
          .build();
    } catch (Rejection r) {
      return ListGroupMembersResponse.newBuilder().setStatus(r.status()).build();
    }
  }
}
