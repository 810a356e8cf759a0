package io.edgemq.gateway.topic;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Topic filters, each with a set of values (typically subscriptions), arranged as a trie over topic
 * levels so that finding the filters matching a topic name costs the depth of the topic, not the
 * number of filters.
 *
 * <p>Thread-safety: {@link #forEachMatch} takes no lock and may run on many threads at once (the
 * event loops delivering messages); {@link #add} and {@link #remove} are rare (SUBSCRIBE and
 * UNSUBSCRIBE) and serialize on one lock. Nodes hold their children and values in {@link
 * ConcurrentHashMap}s, so a reader running beside a writer sees each filter's values either before
 * or after the change and never fails. Nodes left without values and children are pruned, so the
 * trie does not grow with subscription churn.
 *
 * @param <V> the values; two values are the same if {@link Object#equals} says so
 */
public final class SubscriptionTrie<V> {
  private final Node<V> root = new Node<>(null, null);
  private final Object writeLock = new Object();
  private volatile int size;

  /**
   * Adds a value to a filter. An equal value already there is replaced, so a client re-subscribing
   * with other options ends up with the new ones.
   *
   * @param filter a topic filter (without a {@code $share} prefix)
   * @param value the value
   * @return true if no equal value was there before
   * @throws InvalidTopicException if the filter breaks the rules
   */
  public boolean add(String filter, V value) {
    Topics.validateFilter(filter);
    if (value == null) {
      throw new IllegalArgumentException("value must not be null (filter '" + filter + "')");
    }
    synchronized (writeLock) {
      Node<V> node = root;
      for (String level : filter.split("/", -1)) {
        node = node.childOrCreate(level);
      }
      boolean added = node.put(filter, value);
      if (added) {
        size++;
      }
      return added;
    }
  }

  /**
   * Removes a value from a filter.
   *
   * @param filter a topic filter
   * @param value the value
   * @return true if it was there
   */
  public boolean remove(String filter, V value) {
    if (filter == null || value == null) {
      return false;
    }
    synchronized (writeLock) {
      Node<V> node = root;
      for (String level : filter.split("/", -1)) {
        node = node.child(level);
        if (node == null) {
          return false;
        }
      }
      if (!node.remove(value)) {
        return false;
      }
      size--;
      prune(node);
      return true;
    }
  }

  /**
   * Calls the visitor once for each (filter, value) whose filter matches the topic name. Visit
   * order is unspecified. A value added or removed while this runs may or may not be visited.
   *
   * @param topicName a valid topic name (no wildcards)
   * @param visitor receives the matching filter and one of its values
   */
  public void forEachMatch(String topicName, BiConsumer<String, V> visitor) {
    // An explicit stack instead of recursion: a topic may have thousands of levels and this runs
    // on event-loop threads, where a StackOverflowError must not happen.
    WorkStack<V> stack = new WorkStack<>();
    stack.push(root, 0);
    boolean dollar = topicName.startsWith("$");
    int length = topicName.length();
    while (stack.top > 0) {
      stack.top--;
      Node<V> node = stack.nodes[stack.top];
      int start = stack.starts[stack.top];
      if (start > length) {
        // every level consumed: the node's own filter matches, and so does "<node>/#"
        node.visit(visitor);
        Node<V> hash = node.child("#");
        if (hash != null) {
          hash.visit(visitor);
        }
        continue;
      }
      int end = topicName.indexOf('/', start);
      if (end < 0) {
        end = length;
      }
      // a topic starting with '$' is not matched by a first-level wildcard
      if (start > 0 || !dollar) {
        Node<V> hash = node.child("#");
        if (hash != null) {
          hash.visit(visitor);
        }
        Node<V> plus = node.child("+");
        if (plus != null) {
          stack.push(plus, end + 1);
        }
      }
      Node<V> literal = node.child(topicName.substring(start, end));
      if (literal != null) {
        stack.push(literal, end + 1);
      }
    }
  }

  /**
   * @return how many (filter, value) pairs the trie holds
   */
  public int size() {
    return size;
  }

  /**
   * @return whether the trie holds no value
   */
  public boolean isEmpty() {
    return size == 0;
  }

  /** For tests: how many nodes besides the root exist, to prove pruning. */
  int nodeCount() {
    return root.countDescendants();
  }

  private void prune(Node<V> node) {
    while (node.parent != null && node.isEmpty()) {
      node.parent.removeChild(node.level);
      node = node.parent;
    }
  }

  private static final class Node<V> {
    final Node<V> parent;
    final String level;
    // Both maps are created on first use: most nodes are leaves, and most nodes hold no values.
    private volatile Map<String, Node<V>> children;
    private volatile Map<V, V> values;
    // written before the values map is published, so a reader that sees the values sees it
    private String filter;

    Node(Node<V> parent, String level) {
      this.parent = parent;
      this.level = level;
    }

    Node<V> child(String level) {
      Map<String, Node<V>> c = children;
      return c == null ? null : c.get(level);
    }

    Node<V> childOrCreate(String level) {
      Map<String, Node<V>> c = children;
      if (c == null) {
        c = new ConcurrentHashMap<>(4);
        children = c;
      }
      return c.computeIfAbsent(level, l -> new Node<>(this, l));
    }

    void removeChild(String level) {
      Map<String, Node<V>> c = children;
      if (c != null) {
        c.remove(level);
        if (c.isEmpty()) {
          children = null;
        }
      }
    }

    boolean put(String filter, V value) {
      Map<V, V> v = values;
      if (v == null) {
        this.filter = filter;
        v = new ConcurrentHashMap<>(4);
        values = v;
      }
      // the map's key stays the first instance; the mapped value is the newest one, and that is
      // what readers see
      return v.put(value, value) == null;
    }

    boolean remove(V value) {
      Map<V, V> v = values;
      if (v == null || v.remove(value) == null) {
        return false;
      }
      if (v.isEmpty()) {
        values = null;
      }
      return true;
    }

    boolean isEmpty() {
      return values == null && children == null;
    }

    void visit(BiConsumer<String, V> visitor) {
      Map<V, V> v = values;
      if (v != null) {
        String f = filter;
        for (V value : v.values()) {
          visitor.accept(f, value);
        }
      }
    }

    int countDescendants() {
      Map<String, Node<V>> c = children;
      if (c == null) {
        return 0;
      }
      int n = 0;
      for (Node<V> child : c.values()) {
        n += 1 + child.countDescendants();
      }
      return n;
    }
  }

  /** The nodes still to visit with the index where their next topic level starts. */
  private static final class WorkStack<V> {
    @SuppressWarnings("unchecked")
    Node<V>[] nodes = new Node[8];

    int[] starts = new int[8];
    int top;

    void push(Node<V> node, int start) {
      if (top == nodes.length) {
        nodes = Arrays.copyOf(nodes, top * 2);
        starts = Arrays.copyOf(starts, top * 2);
      }
      nodes[top] = node;
      starts[top] = start;
      top++;
    }
  }
}
