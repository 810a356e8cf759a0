package io.edgemq.gateway.server;

import io.edgemq.gateway.link.LinkException;
import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.mapping.Route;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends device messages and wills to the broker topic their mapping names. */
public final class Forwarding {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

  private Forwarding() {}

  /**
   * Sends a device message (or a will) to its broker topic; a retained one is acknowledged once the
   * retained log holds it too.
   *
   * @param gw the gateway
   * @param env the message
   * @param username the publishing connection's user name, or null (for mapping templates)
   * @return completes with the broker's message id, or exceptionally with {@link LinkException}
   */
  static CompletableFuture<String> forward(GatewayContext gw, MqttEnvelope env, String username) {
    Route route;
    try {
      route = gw.mapping().route(env.topic(), env.clientId(), username);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new LinkException("no route for " + env.topic() + ": " + e.getMessage(), true, e));
    }
    if (!gw.router().known(route.brokerTopic())) {
      gw.blocking().execute(() -> gw.router().topicSeen(route.brokerTopic()));
    }
    CompletableFuture<String> sent = gw.link().send(route, env, env.clientId());
    return env.retain()
        ? sent.thenCompose(id -> gw.retainedLog().append(env).thenApply(v -> id))
        : sent;
  }

  /**
   * Publishes a will as its client would have: the ACL decides first.
   *
   * @param gw the gateway
   * @param will the will
   * @param username the user name of the will's connection, or null
   * @return completes when stored, or at once when the ACL denies it
   */
  public static CompletableFuture<?> publishWill(
      GatewayContext gw, MqttEnvelope will, String username) {
    if (!gw.acl().canPublish(will.clientId(), username, will.topic())) {
      LOG.info("will of {} to {} denied by ACL", will.clientId(), will.topic());
      return CompletableFuture.completedFuture(null);
    }
    return forward(gw, will, username);
  }
}
