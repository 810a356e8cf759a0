package io.edgemq.gateway.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SubscriptionTrieTest {

  private final SubscriptionTrie<String> trie = new SubscriptionTrie<>();

  /** What the trie visits for a topic, as "filter=value" strings. */
  private static <V> List<String> matchesOf(SubscriptionTrie<V> trie, String topic) {
    List<String> out = new ArrayList<>();
    trie.forEachMatch(topic, (f, v) -> out.add(f + "=" + v));
    return out;
  }

  @Test
  void shouldStartEmpty() {
    assertThat(trie.isEmpty()).isTrue();
    assertThat(trie.size()).isZero();
    assertThat(matchesOf(trie, "a/b")).isEmpty();
  }

  @Test
  void add_reportsWhetherTheValueIsNew() {
    assertThat(trie.add("a/b", "s1")).isTrue();
    assertThat(trie.add("a/b", "s1")).isFalse();
    assertThat(trie.add("a/b", "s2")).isTrue();
    assertThat(trie.add("a/+", "s1")).isTrue();
    assertThat(trie.size()).isEqualTo(3);
    assertThat(trie.isEmpty()).isFalse();
  }

  @Test
  void add_replacesAnEqualValueSoOptionsCanChange() {
    SubscriptionTrie<Sub> subs = new SubscriptionTrie<>();
    subs.add("a/#", new Sub("c1", 0));
    assertThat(subs.add("a/#", new Sub("c1", 2))).isFalse();
    List<Sub> seen = new ArrayList<>();
    subs.forEachMatch("a/b", (f, v) -> seen.add(v));
    assertThat(seen).singleElement().extracting(Sub::qos).isEqualTo(2);
    assertThat(subs.size()).isEqualTo(1);
  }

  @Test
  void add_rejectsInvalidFiltersAndNullValues() {
    assertThatThrownBy(() -> trie.add("sport/tennis#", "s"))
        .isInstanceOf(InvalidTopicException.class);
    assertThatThrownBy(() -> trie.add("", "s")).isInstanceOf(InvalidTopicException.class);
    assertThatThrownBy(() -> trie.add("a", null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(trie.isEmpty()).isTrue();
    assertThat(trie.nodeCount()).isZero();
  }

  @Test
  void remove_reportsWhetherTheValueWasThere() {
    trie.add("a/b/c", "s1");
    assertThat(trie.remove("a/b/c", "s2")).isFalse();
    assertThat(trie.remove("a/b", "s1")).isFalse();
    assertThat(trie.remove("a/b/c/d", "s1")).isFalse();
    assertThat(trie.remove("x", "s1")).isFalse();
    assertThat(trie.remove(null, "s1")).isFalse();
    assertThat(trie.remove("a/b/c", "s1")).isTrue();
    assertThat(trie.remove("a/b/c", "s1")).isFalse();
    assertThat(trie.isEmpty()).isTrue();
  }

  @Test
  void shouldVisitEveryMatchingFilterOnceWithEachValue() {
    trie.add("sport/tennis/player1/#", "s1");
    trie.add("sport/tennis/player1/#", "s2");
    trie.add("sport/tennis/+", "s3");
    trie.add("sport/#", "s4");
    trie.add("#", "s5");
    trie.add("+/+/+", "s6");
    trie.add("sport/tennis/player1", "s7");
    trie.add("sport/golf", "s8");
    assertThat(matchesOf(trie, "sport/tennis/player1"))
        .containsExactlyInAnyOrder(
            "sport/tennis/player1/#=s1",
            "sport/tennis/player1/#=s2",
            "sport/tennis/+=s3",
            "sport/#=s4",
            "#=s5",
            "+/+/+=s6",
            "sport/tennis/player1=s7");
    assertThat(matchesOf(trie, "sport")).containsExactlyInAnyOrder("sport/#=s4", "#=s5");
  }

  @Test
  void shouldMatchEmptyLevels() {
    trie.add("+/+", "plus-plus");
    trie.add("/+", "slash-plus");
    trie.add("+", "plus");
    trie.add("a/+/b", "middle");
    trie.add("a/+", "a-plus");
    assertThat(matchesOf(trie, "/finance"))
        .containsExactlyInAnyOrder("+/+=plus-plus", "/+=slash-plus");
    assertThat(matchesOf(trie, "a//b")).containsExactly("a/+/b=middle");
    assertThat(matchesOf(trie, "a/")).containsExactlyInAnyOrder("a/+=a-plus", "+/+=plus-plus");
    assertThat(matchesOf(trie, "a")).containsExactly("+=plus");
  }

  @Test
  void shouldNotMatchDollarTopicsWithFirstLevelWildcards() {
    trie.add("#", "hash");
    trie.add("+/monitor/Clients", "plus");
    trie.add("+/#", "plus-hash");
    trie.add("$SYS/#", "sys");
    trie.add("$SYS/monitor/+", "sys-monitor");
    assertThat(matchesOf(trie, "$SYS/monitor/Clients"))
        .containsExactlyInAnyOrder("$SYS/#=sys", "$SYS/monitor/+=sys-monitor");
    assertThat(matchesOf(trie, "$SYS")).containsExactly("$SYS/#=sys");
    assertThat(matchesOf(trie, "SYS/monitor/Clients"))
        .containsExactlyInAnyOrder("#=hash", "+/monitor/Clients=plus", "+/#=plus-hash");
  }

  @Test
  void shouldPruneEmptyNodesOnRemove() {
    trie.add("a/b/c/d", "s1");
    trie.add("a/b", "s2");
    trie.add("a/+/#", "s3");
    assertThat(trie.nodeCount()).isEqualTo(6);
    trie.remove("a/b/c/d", "s1");
    assertThat(trie.nodeCount()).as("a, a/b, a/+, a/+/#").isEqualTo(4);
    trie.remove("a/b", "s2");
    assertThat(trie.nodeCount()).as("a, a/+, a/+/#").isEqualTo(3);
    trie.remove("a/+/#", "s3");
    assertThat(trie.nodeCount()).isZero();
    assertThat(trie.isEmpty()).isTrue();
  }

  @Test
  void shouldNotGrowWithChurn() {
    for (int i = 0; i < 1_000; i++) {
      trie.add("device/" + i + "/cmd/#", "c" + i);
      trie.remove("device/" + i + "/cmd/#", "c" + i);
    }
    assertThat(trie.nodeCount()).isZero();
  }

  @Test
  void shouldMatchDeepTopicsWithoutRecursion() {
    String deep = "/".repeat(20_000);
    trie.add(deep + "#", "deep");
    assertThat(matchesOf(trie, deep + "x")).containsExactly(deep + "#=deep");
  }

  /** The trie against brute-force {@link Topics#matches} over random filters, values and topics. */
  @Test
  void shouldAgreeWithBruteForceOnRandomFiltersAndTopics() {
    Random random = new Random(20240611L);
    Map<String, Set<Integer>> model = new HashMap<>();
    SubscriptionTrie<Integer> subs = new SubscriptionTrie<>();
    for (int op = 0; op < 4_000; op++) {
      String filter = randomFilter(random);
      int value = random.nextInt(5);
      if (random.nextInt(3) == 0) {
        boolean removed = model.getOrDefault(filter, Set.of()).contains(value);
        assertThat(subs.remove(filter, value)).isEqualTo(removed);
        if (removed) {
          model.get(filter).remove(value);
        }
      } else {
        boolean added = model.computeIfAbsent(filter, f -> new HashSet<>()).add(value);
        assertThat(subs.add(filter, value)).isEqualTo(added);
      }
    }
    assertThat(subs.size()).isEqualTo(model.values().stream().mapToInt(Set::size).sum());
    for (int i = 0; i < 2_000; i++) {
      String topic = randomTopic(random);
      assertThat(matchesOf(subs, topic))
          .as(topic)
          .containsExactlyInAnyOrderElementsOf(bruteForce(model, topic));
    }
    model.forEach((filter, values) -> values.forEach(v -> subs.remove(filter, v)));
    assertThat(subs.isEmpty()).isTrue();
    assertThat(subs.nodeCount()).isZero();
  }

  /**
   * Readers match while writers add and remove. Every reader must always see the permanent
   * subscriptions and never fail; at the end the trie must equal the writers' models.
   */
  @Test
  void shouldStayConsistentWhileReadersRunBesideWriters() throws Exception {
    SubscriptionTrie<Integer> subs = new SubscriptionTrie<>();
    List<String> permanent = List.of("#", "+/+", "a/#", "$SYS/#");
    permanent.forEach(f -> subs.add(f, -1));
    int writers = 2;
    int readers = 2;
    ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    List<Map<String, Set<Integer>>> models = new ArrayList<>();
    List<Future<?>> writerFutures = new ArrayList<>();
    List<Future<?>> readerFutures = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        Map<String, Set<Integer>> model = new HashMap<>();
        models.add(model);
        int seed = w;
        writerFutures.add(
            pool.submit(
                () -> {
                  start.await();
                  writeRandomly(subs, model, new Random(seed), seed);
                  return null;
                }));
      }
      for (int r = 0; r < readers; r++) {
        int seed = 100 + r;
        readerFutures.add(
            pool.submit(
                () -> {
                  start.await();
                  readUntilDone(subs, writing, new Random(seed));
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : writerFutures) {
        f.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<?> f : readerFutures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Set<Integer>> all = new HashMap<>();
    permanent.forEach(f -> all.computeIfAbsent(f, x -> new HashSet<>()).add(-1));
    models.forEach(
        m -> m.forEach((f, vs) -> all.computeIfAbsent(f, x -> new HashSet<>()).addAll(vs)));
    assertThat(subs.size()).isEqualTo(all.values().stream().mapToInt(Set::size).sum());
    Random random = new Random(7);
    for (int i = 0; i < 1_000; i++) {
      String topic = randomTopic(random);
      assertThat(matchesOf(subs, topic))
          .as(topic)
          .containsExactlyInAnyOrderElementsOf(bruteForce(all, topic));
    }
  }

  /** Each writer owns the values congruent to its id, so the models never overlap. */
  private static void writeRandomly(
      SubscriptionTrie<Integer> subs, Map<String, Set<Integer>> model, Random random, int id) {
    for (int op = 0; op < 3_000; op++) {
      String filter = randomFilter(random);
      int value = random.nextInt(4) * 2 + id;
      if (random.nextBoolean()) {
        if (subs.add(filter, value)
            != model.computeIfAbsent(filter, f -> new HashSet<>()).add(value)) {
          throw new AssertionError("add disagreed for " + filter + "=" + value);
        }
      } else if (subs.remove(filter, value)
          != model.getOrDefault(filter, new HashSet<>()).remove(value)) {
        throw new AssertionError("remove disagreed for " + filter + "=" + value);
      }
    }
  }

  private static void readUntilDone(
      SubscriptionTrie<Integer> subs, AtomicBoolean writing, Random random) {
    do {
      String topic = randomTopic(random);
      Set<String> permanentSeen = new HashSet<>();
      subs.forEachMatch(
          topic,
          (f, v) -> {
            if (!Topics.matches(f, topic)) {
              throw new AssertionError(f + " visited for " + topic);
            }
            if (v == -1) {
              permanentSeen.add(f);
            }
          });
      Set<String> expected = new HashSet<>();
      for (String f : List.of("#", "+/+", "a/#", "$SYS/#")) {
        if (Topics.matches(f, topic)) {
          expected.add(f);
        }
      }
      if (!permanentSeen.equals(expected)) {
        throw new AssertionError(topic + ": saw " + permanentSeen + ", expected " + expected);
      }
    } while (writing.get());
  }

  private static List<String> bruteForce(Map<String, Set<Integer>> model, String topic) {
    List<String> out = new ArrayList<>();
    model.forEach(
        (filter, values) -> {
          if (Topics.matches(filter, topic)) {
            values.forEach(v -> out.add(filter + "=" + v));
          }
        });
    return out;
  }

  private static final String[] LEVELS = {"a", "b", "c", "", "$SYS"};

  private static String randomFilter(Random random) {
    int depth = 1 + random.nextInt(4);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      if (i > 0) {
        sb.append('/');
      }
      int pick = random.nextInt(8);
      if (pick == 7 && i == depth - 1) {
        sb.append('#');
      } else if (pick >= 5) {
        sb.append('+');
      } else {
        sb.append(LEVELS[i == 0 ? pick : pick % 4]);
      }
    }
    String filter = sb.toString();
    return filter.isEmpty() ? "z" : filter;
  }

  private static String randomTopic(Random random) {
    int depth = 1 + random.nextInt(5);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(LEVELS[random.nextInt(i == 0 ? 5 : 4)]);
    }
    String topic = sb.toString();
    return topic.isEmpty() ? "z" : topic;
  }

  private record Sub(String clientId, int qos) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Sub s && s.clientId.equals(clientId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(clientId);
    }
  }
}
