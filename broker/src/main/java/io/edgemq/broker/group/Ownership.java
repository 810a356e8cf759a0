package io.edgemq.broker.group;

/** Whether a pull's caller may pull the queue. */
public enum Ownership {
  /** The group has no live members here, or is broadcasting: assignments are not checked. */
  UNCHECKED,
  /** The caller is the queue's assigned owner. */
  OWNED,
  /** The queue is assigned to another member or to no one. */
  NOT_ASSIGNED
}
