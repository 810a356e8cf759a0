package io.edgemq.client.command;

import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A client's command channels, one per broker it uses, opened on first use. */
public final class CommandChannels implements AutoCloseable {
  private final Rpc rpc;
  private final List<String> producerGroups;
  private final CommandHandler handler;
  private final Map<Endpoint, CommandChannel> channels = new ConcurrentHashMap<>();

  /**
   * @param rpc the client's connections
   * @param producerGroups the producer groups this client answers checks for (may be empty)
   * @param handler what to do with checks and replies
   */
  public CommandChannels(Rpc rpc, List<String> producerGroups, CommandHandler handler) {
    this.rpc = rpc;
    this.producerGroups = List.copyOf(producerGroups);
    this.handler = handler;
  }

  /**
   * Opens the channel to a broker unless it is open.
   *
   * @param broker the broker
   * @return completes when the broker has registered the channel
   */
  public CompletableFuture<Void> ensure(Endpoint broker) {
    CommandChannel c =
        channels.computeIfAbsent(
            broker,
            b -> {
              CommandChannel n = new CommandChannel(rpc, b, producerGroups, handler);
              n.open();
              return n;
            });
    return c.ready();
  }

  /**
   * Closes the channels to brokers that are no longer in use (a broker that moved or left the
   * routes), so they stop reopening.
   *
   * @param live the brokers still in use
   */
  public void retainOnly(Set<Endpoint> live) {
    channels
        .entrySet()
        .removeIf(
            e -> {
              if (live.contains(e.getKey())) {
                return false;
              }
              e.getValue().close();
              return true;
            });
  }

  /** Cancels every channel (brokers drop this client from their channel tables at once). */
  @Override
  public void close() {
    channels.values().forEach(CommandChannel::close);
    channels.clear();
  }
}
