package io.edgemq.broker.group;

import io.edgemq.protocol.v1.MessageQueue;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consumer group's assignment on this broker at one moment.
 *
 * @param queues member id to its queues, ordered by topic then queue id
 * @param conflicts member id to the topics it conflicts on (all its topics when its mode differs)
 * @param unreadable member id to its subscribed topics that do not allow reads here
 * @param version changes whenever {@code queues} changes
 */
record Assignment(
    Map<String, List<MessageQueue>> queues,
    Map<String, Set<String>> conflicts,
    Map<String, Set<String>> unreadable,
    long version) {}
