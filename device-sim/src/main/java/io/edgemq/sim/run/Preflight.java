package io.edgemq.sim.run;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.protocol.v1.Code;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;

/** Checks, before any device connects, that the gateway and the backend answer. */
final class Preflight {
  private Preflight() {}

  static void gateway(InetSocketAddress address, Duration timeout) throws UnreachableException {
    try (Socket s = new Socket()) {
      s.connect(address, (int) timeout.toMillis());
    } catch (IOException e) {
      throw new UnreachableException(
          "gateway "
              + address.getHostString()
              + ":"
              + address.getPort()
              + " is unreachable: "
              + e.getMessage());
    }
  }

  /** Checks the nameservers know a broker, and creates the topics the run reads and writes. */
  static void backend(ClientConfig config, Collection<String> topics, int queues)
      throws UnreachableException {
    try (Admin admin = Admin.builder().clientConfig(config).build()) {
      if (admin.brokerNames().isEmpty()) {
        throw new UnreachableException(
            "the nameservers " + config.nameServers() + " know no broker");
      }
      for (String t : topics) {
        try {
          admin.createTopic(t, queues);
        } catch (ClientException e) {
          if (e.code() != Code.ALREADY_EXISTS) {
            throw e;
          }
        }
      }
    } catch (ClientException e) {
      throw new UnreachableException(
          "the backend (nameservers "
              + config.nameServers()
              + ") is unreachable: "
              + e.getMessage());
    }
  }
}
