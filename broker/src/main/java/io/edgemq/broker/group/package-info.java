/**
 * Client heartbeats, group membership and the broker-side queue assignment (rebalance): members per
 * consumer group with their last heartbeat time, expiry of silent members, subscription conflicts,
 * and the deterministic split of this broker's read queues over the live members.
 */
package io.edgemq.broker.group;
