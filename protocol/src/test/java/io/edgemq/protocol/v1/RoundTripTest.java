package io.edgemq.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message type survives build, toByteArray, parseFrom with all its fields. */
class RoundTripTest {

  static Stream<Arguments> everyMessageAndOneofChoice() {
    return Contracts.messageTypes().stream()
        .flatMap(
            t -> {
              int choices =
                  t.getRealOneofs().stream().mapToInt(o -> o.getFieldCount()).max().orElse(1);
              return Stream.iterate(0, i -> i + 1)
                  .limit(choices)
                  .map(i -> Arguments.of(t.getName(), t, i));
            });
  }

  @ParameterizedTest(name = "{0} (oneof choice {2})")
  @MethodSource("everyMessageAndOneofChoice")
  void shouldRoundTripWithEveryFieldSet(String name, Descriptor type, int oneofChoice)
      throws InvalidProtocolBufferException {
    Message original = FullMessages.full(type, oneofChoice);
    assertThat(FullMessages.unsetFields(original)).as("fields the filler left unset").isEmpty();

    byte[] bytes = original.toByteArray();
    Message parsed = original.getParserForType().parseFrom(bytes);

    assertThat(parsed).isInstanceOf(original.getClass()).isEqualTo(original);
    assertThat(parsed.getUnknownFields().asMap()).isEmpty();
    assertThat(FullMessages.unsetFields(parsed)).isEmpty();
    assertThat(parsed.toByteArray()).isEqualTo(bytes);
  }
}
