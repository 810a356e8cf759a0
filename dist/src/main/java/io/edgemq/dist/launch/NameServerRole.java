package io.edgemq.dist.launch;

import io.edgemq.dist.config.Keys;
import io.edgemq.dist.config.Settings;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** Starts a nameserver from the {@code nameserver.*} keys. */
public final class NameServerRole implements RoleStarter {

  @Override
  public void check(Settings s) {
    config(s);
  }

  @Override
  public Started start(Settings s, MeterRegistry registry, Clock clock) throws Exception {
    NameServer server = NameServer.start(config(s), clock, registry);
    int port = server.port();
    Running running = new Running();
    return new Started(
        "nameserver",
        port,
        () -> {
          running.stop();
          server.close();
        },
        running::isRunning,
        next -> pointAt(next, "127.0.0.1:" + port));
  }

  private static NameServerConfig config(Settings s) {
    return NameServerConfig.builder()
        .port(s.get(Keys.NAMESERVER_PORT))
        .brokerExpiry(s.get(Keys.NAMESERVER_BROKER_EXPIRY))
        .expiryScanInterval(s.get(Keys.NAMESERVER_EXPIRY_SCAN))
        .kvConfigFile(s.get(Keys.NAMESERVER_KV_FILE))
        .build();
  }

  /** In one JVM, the broker and gateway use the nameserver beside them. */
  private static Settings pointAt(Settings next, String address) {
    Settings out = next;
    if (next.texts().containsKey(Keys.BROKER_NAMESRV.name())) {
      out = out.with(Keys.BROKER_NAMESRV, address);
    }
    if (next.texts().containsKey(Keys.GATEWAY_NAMESRV.name())) {
      out = out.with(Keys.GATEWAY_NAMESRV, address);
    }
    return out;
  }
}
