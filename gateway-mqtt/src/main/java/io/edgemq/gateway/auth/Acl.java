package io.edgemq.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.edgemq.gateway.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a client may publish to a topic or subscribe to a filter, from an ordered list of
 * {@link AclRule}s: the first rule that applies decides; if none does, {@link #defaultAllow()}.
 *
 * <p><b>Publish</b>: a rule applies when its filter matches the topic name.
 *
 * <p><b>Subscribe</b>: a subscription is granted as a whole or refused as a whole, so it must not
 * be able to deliver a message the client may not read. An {@code allow} rule applies only when its
 * filter covers the subscription (every topic the subscription matches, the rule matches too); one
 * that merely overlaps it is passed over. A {@code deny} rule applies as soon as its filter
 * overlaps the subscription (some topic matches both): with {@code deny all subscribe secret/#}
 * before {@code allow all subscribe #}, a subscription to {@code #} is refused, while one to {@code
 * sensors/#} is granted. Shared subscriptions are checked on their inner filter; the caller strips
 * {@code $share/<group>/}.
 *
 * <p>Decisions are cached per (client id, username, action, topic) in a bounded cache, since a
 * device publishes to the same few topics over and over. {@link #reload()} swaps rules and cache
 * together.
 */
public final class Acl {
  /** Default decision cache size: 100,000 entries, some tens of MB at most. */
  public static final long DEFAULT_CACHE_MAX_SIZE = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(Acl.class);

  private final Path file;
  private final boolean defaultAllow;
  private final long cacheMaxSize;
  private volatile Rules rules;

  private Acl(Path file, List<AclRule> rules, boolean defaultAllow, long cacheMaxSize) {
    if (cacheMaxSize < 0) {
      throw new IllegalArgumentException("ACL cacheMaxSize must be >= 0, was " + cacheMaxSize);
    }
    this.file = file;
    this.defaultAllow = defaultAllow;
    this.cacheMaxSize = cacheMaxSize;
    this.rules = newRules(rules);
  }

  /**
   * Reads an ACL file: one rule per line (see {@link AclRule}); blank lines and lines starting with
   * {@code #} are ignored.
   *
   * @param file the ACL file
   * @param defaultAllow the decision when no rule applies
   * @param cacheMaxSize how many decisions are cached; 0 disables the cache
   * @return the ACL
   * @throws AuthFileException if a line is not a valid rule, naming the line and the reason
   * @throws IOException if the file cannot be read
   */
  public static Acl load(Path file, boolean defaultAllow, long cacheMaxSize) throws IOException {
    return new Acl(file, read(file), defaultAllow, cacheMaxSize);
  }

  /**
   * An ACL from rules built in code.
   *
   * @param rules the rules, first match wins
   * @param defaultAllow the decision when no rule applies
   * @param cacheMaxSize how many decisions are cached; 0 disables the cache
   * @return the ACL
   */
  public static Acl of(List<AclRule> rules, boolean defaultAllow, long cacheMaxSize) {
    return new Acl(null, rules, defaultAllow, cacheMaxSize);
  }

  /**
   * An ACL that allows everything, for a standalone gateway or a demo.
   *
   * @return an ACL without rules that allows by default
   */
  public static Acl allowAll() {
    return new Acl(null, List.of(), true, 0);
  }

  /**
   * Whether a client may publish to a topic.
   *
   * @param clientId the client id
   * @param username the verified username ({@link AuthResult#username()}), or null if anonymous
   * @param topicName the topic name
   * @return whether the publish is allowed
   * @throws io.edgemq.gateway.topic.InvalidTopicException if the topic name is invalid
   */
  public boolean canPublish(String clientId, String username, String topicName) {
    return decide(clientId, username, true, topicName);
  }

  /**
   * Whether a client may subscribe to a filter (see the class comment for how deny and allow rules
   * apply to filters).
   *
   * @param clientId the client id
   * @param username the verified username ({@link AuthResult#username()}), or null if anonymous
   * @param filter the topic filter; for a shared subscription the filter after {@code
   *     $share/<group>/}
   * @return whether the subscription is allowed
   * @throws io.edgemq.gateway.topic.InvalidTopicException if the filter is invalid
   */
  public boolean canSubscribe(String clientId, String username, String filter) {
    return decide(clientId, username, false, filter);
  }

  /**
   * Reads the ACL file again and forgets every cached decision. If the file is invalid or
   * unreadable the current rules stay in force.
   *
   * @throws AuthFileException if a line is not a valid rule, naming the line and the reason
   * @throws IOException if the file cannot be read
   * @throws IllegalStateException if this ACL was not loaded from a file
   */
  public void reload() throws IOException {
    if (file == null) {
      throw new IllegalStateException("this ACL was not loaded from a file");
    }
    rules = newRules(read(file));
  }

  /**
   * @return the rules in force, in order
   */
  public List<AclRule> rules() {
    return rules.list;
  }

  /**
   * @return the decision when no rule applies
   */
  public boolean defaultAllow() {
    return defaultAllow;
  }

  /** How many decisions are cached now. */
  long cachedDecisions() {
    Cache<Decision, Boolean> decisions = rules.decisions;
    decisions.cleanUp();
    return decisions.estimatedSize();
  }

  private boolean decide(String clientId, String username, boolean publish, String topic) {
    Rules current = rules;
    if (current.list.isEmpty()) {
      check(publish, topic);
      return defaultAllow;
    }
    return current.decisions.get(
        new Decision(clientId, username, publish, topic),
        d -> evaluate(current.list, clientId, username, publish, topic));
  }

  private boolean evaluate(
      List<AclRule> list, String clientId, String username, boolean publish, String topic) {
    check(publish, topic);
    for (AclRule rule : list) {
      boolean actionApplies =
          publish ? rule.action().includesPublish() : rule.action().includesSubscribe();
      if (!actionApplies || !rule.who().matches(clientId, username)) {
        continue;
      }
      String filter = rule.filterFor(clientId, username);
      if (filter == null) {
        continue;
      }
      if (publish) {
        if (Topics.matches(filter, topic)) {
          return rule.allow();
        }
      } else if (rule.allow() ? Topics.covers(filter, topic) : Topics.overlap(filter, topic)) {
        return rule.allow();
      }
    }
    return defaultAllow;
  }

  private static void check(boolean publish, String topic) {
    if (publish) {
      Topics.validateName(topic);
    } else {
      Topics.validateFilter(topic);
    }
  }

  private Rules newRules(List<AclRule> list) {
    Cache<Decision, Boolean> decisions =
        Caffeine.newBuilder()
            .maximumSize(cacheMaxSize)
            // maintenance on the caller's thread: no pool threads on a small edge box
            .executor(Runnable::run)
            .build();
    return new Rules(List.copyOf(list), decisions);
  }

  private static List<AclRule> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<AclRule> rules = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      try {
        rules.add(AclRule.parse(text));
      } catch (IllegalArgumentException e) {
        throw new AuthFileException(file, i + 1, e.getMessage());
      }
    }
    LOG.info("ACL file {}: {} rules", file, rules.size());
    return rules;
  }

  /** The rules in force and the decisions made from them, swapped as one. */
  private record Rules(List<AclRule> list, Cache<Decision, Boolean> decisions) {}

  /** A cache key; {@code username} is null for an anonymous client. */
  private record Decision(String clientId, String username, boolean publish, String topic) {}
}
