package io.edgemq.sim.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.gateway.auth.AuthenticatorConfig;
import io.edgemq.gateway.auth.PasswordHash;
import io.edgemq.sim.api.SimCommand;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Devices with credentials from a file, over TLS to a gateway that requires a password and presents
 * a self-signed certificate (made by the JDK's keytool at test time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimSecurityTest {
  private static final String STORE_PASSWORD = "changeit";

  @TempDir static Path dir;
  private SimCluster cluster;

  @BeforeAll
  void start() throws Exception {
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    selfSigned(cert, key);
    Path passwd = dir.resolve("passwd");
    Files.writeString(
        passwd,
        "sensor:" + PasswordHash.hash("s3cret".toCharArray(), PasswordHash.MIN_ITERATIONS) + "\n");
    cluster =
        new SimCluster(
            dir.resolve("cluster"),
            b ->
                b.tls(cert, key, null)
                    .tlsPort(0)
                    .auth(AuthenticatorConfig.builder().passwordFile(passwd).build()));
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private int run(String password, ByteArrayOutputStream bytes) throws Exception {
    Path creds = dir.resolve("creds-" + password + ".txt");
    Files.writeString(creds, "# user:password\nsensor:" + password + "\n");
    Path scenario = dir.resolve("tls-" + password + ".yaml");
    Files.writeString(
        scenario,
        String.join(
            "\n",
            "name: tls",
            "duration: 2s",
            "fleets:",
            "  - count: 10",
            "    qos: 1",
            "    tls: true",
            "    tlsCaFile: " + dir.resolve("server.crt"),
            "    credentialsFile: " + creds,
            "    streams:",
            "      - topic: secure/{device}/temp",
            "        rate: {perSecond: 5}",
            ""));
    PrintStream out = new PrintStream(bytes, true, UTF_8);
    int code =
        new CommandLine(new SimCommand(Clock.systemUTC(), out))
            .execute(
                "--scenario", scenario.toString(),
                "--gateway", "127.0.0.1:" + cluster.gateway.port("tls"),
                "--namesrv", cluster.nameServerAddress(),
                "--report-dir", dir.resolve("report-" + password).toString());
    System.out.println(bytes.toString(UTF_8));
    return code;
  }

  @Test
  void shouldConnectOverTlsWithCredentialsAndLoseNothing() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = run("s3cret", bytes);
    String out = bytes.toString(UTF_8);
    assertThat(code).as(out).isEqualTo(SimCommand.PASS);
    assertThat(out).contains("connects ok 10 · failed 0").contains("RESULT: PASS");
  }

  @Test
  void shouldEndTheRunWhenNoDeviceIsLetIn() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = run("wrong", bytes);
    String out = bytes.toString(UTF_8);
    assertThat(code).as(out).isEqualTo(SimCommand.BROKEN);
    assertThat(out).contains("ERROR: no device could connect").contains("RESULT: FAIL");
  }

  /** A certificate for 127.0.0.1 with an EC key, as PEM certificate and PEM PKCS#8 key. */
  private static void selfSigned(Path certPem, Path keyPem) throws Exception {
    Path store = dir.resolve("server.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "gateway",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD,
                "-noprompt")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool: %s", output).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, STORE_PASSWORD.toCharArray());
    }
    Certificate cert = ks.getCertificate("gateway");
    PrivateKey key = (PrivateKey) ks.getKey("gateway", STORE_PASSWORD.toCharArray());
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()), US_ASCII);
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()), US_ASCII);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
