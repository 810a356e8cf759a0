package io.edgemq.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceIdsTest {
  @Test
  void shouldExpandIndexPaddingAndFleet() {
    assertThat(DeviceIds.expand("{fleet}-{index}", "press", 7)).isEqualTo("press-7");
    assertThat(DeviceIds.expand("dev-{index:05}", "x", 42)).isEqualTo("dev-00042");
    assertThat(DeviceIds.expand("a.{index:2}:b", "x", 123)).isEqualTo("a.123:b");
  }

  @Test
  void shouldRejectPatternsThatCannotMakeDistinctValidIds() {
    assertThatThrownBy(() -> DeviceIds.check("dev")).hasMessageContaining("needs {index}");
    assertThatThrownBy(() -> DeviceIds.check("dev-{idx}")).hasMessageContaining("placeholders");
    assertThatThrownBy(() -> DeviceIds.check("dev {index}")).hasMessageContaining("only");
    assertThatThrownBy(() -> DeviceIds.check("dev/{index}")).hasMessageContaining("only");
  }
}
