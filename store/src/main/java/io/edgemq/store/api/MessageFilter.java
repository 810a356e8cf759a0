package io.edgemq.store.api;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Selects messages while reading a consume queue: first by the tag hash in the queue unit (no
 * CommitLog read for a miss), then exactly on the decoded message (hashes can collide).
 */
public interface MessageFilter {

  /** Accepts every message. */
  MessageFilter ALL =
      new MessageFilter() {
        @Override
        public boolean matchesTagHash(long tagHash) {
          return true;
        }

        @Override
        public boolean matches(StoredMessage message) {
          return true;
        }
      };

  /**
   * Whether a unit with this tag hash may match.
   *
   * @param tagHash the unit's tag hash
   * @return false to skip the unit without reading its record
   */
  boolean matchesTagHash(long tagHash);

  /**
   * Whether the decoded message matches.
   *
   * @param message the message
   * @return true to return it
   */
  boolean matches(StoredMessage message);

  /**
   * A filter accepting any of the given tags.
   *
   * @param tags the tags, not empty
   * @return the filter
   */
  static MessageFilter anyTag(Set<String> tags) {
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("tag set must not be empty");
    }
    Set<String> copy = Set.copyOf(tags);
    Set<Long> hashes = copy.stream().map(TagHash::of).collect(Collectors.toUnmodifiableSet());
    return new MessageFilter() {
      @Override
      public boolean matchesTagHash(long tagHash) {
        return hashes.contains(tagHash);
      }

      @Override
      public boolean matches(StoredMessage message) {
        return copy.contains(message.tags());
      }
    };
  }
}
