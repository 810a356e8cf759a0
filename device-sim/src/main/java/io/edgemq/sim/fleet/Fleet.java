package io.edgemq.sim.fleet;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.edgemq.sim.report.Metrics;
import io.edgemq.sim.scenario.DeviceIds;
import io.edgemq.sim.scenario.FleetSpec;
import io.edgemq.sim.scenario.Scenario;
import io.edgemq.sim.stream.PayloadModel;
import io.edgemq.sim.verify.Ledger;
import io.edgemq.sim.verify.StreamLedger;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import javax.net.ssl.TrustManagerFactory;

/**
 * Every device of a scenario, built (not connected) with its HiveMQ client. All clients share one
 * set of Netty event loops, so tens of thousands of devices cost a few threads.
 */
public final class Fleet {
  private final List<Device> devices;
  private final List<FleetPlan> plans;

  private Fleet(List<Device> devices, List<FleetPlan> plans) {
    this.devices = devices;
    this.plans = plans;
  }

  /**
   * Builds the devices.
   *
   * @param scenario the scenario
   * @param target where to connect
   * @param ledger where sends are recorded
   * @param metrics where to count
   * @return the fleet
   * @throws IOException if a credentials or CA file cannot be read
   * @throws IllegalArgumentException if a file's content is wrong or two devices share an id
   */
  public static Fleet build(Scenario scenario, Target target, Ledger ledger, Metrics metrics)
      throws IOException {
    MqttClientExecutorConfig executors =
        MqttClientExecutorConfig.builder().nettyThreads(target.eventLoopThreads()).build();
    SplittableRandom seeds = new SplittableRandom(scenario.seed());
    List<Device> devices = new ArrayList<>(scenario.deviceCount());
    List<FleetPlan> plans = new ArrayList<>();
    for (int f = 0; f < scenario.fleets().size(); f++) {
      FleetSpec spec = scenario.fleets().get(f);
      FleetPlan plan = FleetPlan.of(f, spec, scenario.commands());
      plans.add(plan);
      Optional<Credentials> creds =
          spec.credentialsFile() == null
              ? Optional.empty()
              : Optional.of(Credentials.read(Path.of(spec.credentialsFile())));
      Optional<MqttClientSslConfig> ssl = spec.tls() ? Optional.of(ssl(spec)) : Optional.empty();
      for (int i = 0; i < spec.count(); i++) {
        String id = DeviceIds.expand(spec.idPattern(), spec.name(), i);
        ConnectSettings cs =
            new ConnectSettings(
                id,
                target.gateway(),
                target.sourceAddress(devices.size()),
                spec.mqttVersion(),
                spec.qos(),
                spec.cleanSession(),
                spec.sessionExpiry(),
                spec.keepAlive(),
                creds.map(c -> c.forDevice(devices.size())),
                ssl,
                target.connectTimeout());
        devices.add(device(plan, cs, i, ledger, metrics, executors, seeds.split()));
      }
    }
    return new Fleet(List.copyOf(devices), List.copyOf(plans));
  }

  private static Device device(
      FleetPlan plan,
      ConnectSettings cs,
      int index,
      Ledger ledger,
      Metrics metrics,
      MqttClientExecutorConfig executors,
      SplittableRandom random) {
    int n = plan.streams().size();
    String[] topics = new String[n];
    PayloadModel[] models = new PayloadModel[n];
    int[] qos = new int[n];
    for (int s = 0; s < n; s++) {
      FleetPlan.StreamPlan sp = plan.streams().get(s);
      topics[s] = sp.topic().expand(plan.values(cs.clientId(), index, sp));
      models[s] = sp.kind().newModel(random.split());
      qos[s] = cs.qos();
    }
    StreamLedger[] ledgers = ledger.register(cs.clientId(), qos);
    String cmd =
        plan.commandTopic()
            .map(t -> t.expand(plan.values(cs.clientId(), index, null)))
            .orElse(null);
    Device[] self = new Device[1];
    Runnable onLost = () -> self[0].lost(metrics);
    MqttLink link =
        cs.mqttVersion() == 5
            ? new Mqtt5Link(cs, executors, onLost)
            : new Mqtt3Link(cs, executors, onLost);
    self[0] = new Device(cs.clientId(), plan, link, cmd, topics, models, ledgers);
    return self[0];
  }

  private static MqttClientSslConfig ssl(FleetSpec spec) throws IOException {
    if (spec.tlsCaFile() == null) {
      return MqttClientSslConfig.builder().build();
    }
    try (InputStream in = Files.newInputStream(Path.of(spec.tlsCaFile()))) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int n = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + n++, c);
      }
      if (n == 0) {
        throw new IllegalArgumentException(spec.tlsCaFile() + ": no PEM certificate");
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return MqttClientSslConfig.builder().trustManagerFactory(tmf).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(spec.tlsCaFile() + ": " + e.getMessage(), e);
    }
  }

  /** The devices, fleet by fleet. */
  public List<Device> devices() {
    return devices;
  }

  /** The compiled fleets. */
  public List<FleetPlan> plans() {
    return plans;
  }

  /**
   * Where and how devices connect.
   *
   * @param gateway the gateway's MQTT address
   * @param sourceHosts local addresses to spread connections over (empty: the system's choice)
   * @param connectTimeout how long a connect may take
   * @param eventLoopThreads Netty threads shared by all clients
   */
  public record Target(
      InetSocketAddress gateway,
      List<String> sourceHosts,
      Duration connectTimeout,
      int eventLoopThreads) {
    InetSocketAddress sourceAddress(int n) {
      return sourceHosts.isEmpty()
          ? null
          : new InetSocketAddress(sourceHosts.get(n % sourceHosts.size()), 0);
    }
  }
}
