package io.edgemq.broker.transaction;

import io.edgemq.broker.api.TransactionConfig.Outcome;
import io.edgemq.store.api.MessageId;

/**
 * A half message this broker knows: pending until {@link #ended} is set. Mutated only while holding
 * its monitor, so one outcome wins.
 */
final class Half {
  final long offset;
  final MessageId id;
  final String group;
  int checks;
  long nextCheckAt;
  Outcome ended;

  Half(long offset, MessageId id, String group, long nextCheckAt) {
    this.offset = offset;
    this.id = id;
    this.group = group;
    this.nextCheckAt = nextCheckAt;
  }
}
