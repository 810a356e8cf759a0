package io.edgemq.sim.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path dir;

  @Test
  void shouldHandEntriesToDevicesRoundRobin() throws Exception {
    Path f = dir.resolve("creds.txt");
    Files.writeString(f, "# devices\nalice:secret\n\nbob:pa:ss\n");
    Credentials c = Credentials.read(f);
    assertThat(c.forDevice(0)).isEqualTo(new Credentials.Entry("alice", "secret"));
    assertThat(c.forDevice(1)).isEqualTo(new Credentials.Entry("bob", "pa:ss"));
    assertThat(c.forDevice(2).username()).isEqualTo("alice");
    assertThat(c.forDevice(1).toString()).doesNotContain("pa:ss");
  }

  @Test
  void shouldNameTheLineThatDoesNotParse() throws Exception {
    Path f = dir.resolve("bad.txt");
    Files.writeString(f, "alice:secret\nbob\n");
    assertThatThrownBy(() -> Credentials.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(f + ":2: expected username:password");
  }

  @Test
  void shouldRejectAFileWithoutEntries() throws Exception {
    Path f = dir.resolve("empty.txt");
    Files.writeString(f, "# nothing\n");
    assertThatThrownBy(() -> Credentials.read(f)).hasMessageContaining("no username:password");
  }
}
