package io.edgemq.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Holds {@code edgemq.v1} to its versioning rules against a golden listing of every message, field,
 * enum value and RPC ({@code src/test/resources/edgemq-v1.golden}, read from the module directory).
 *
 * <p>A listed field or enum value may disappear only if its number and name are reserved; nothing
 * else listed may change or disappear. Anything new must be appended to the golden file, which this
 * test prints on failure. Running with {@code -Dedgemq.golden.write=true} rewrites the file from
 * the current descriptors (review the diff: only additions are allowed).
 */
class GoldenContractTest {

  private static final Path GOLDEN = Path.of("src/test/resources/edgemq-v1.golden");
  private static final List<String> HEADER =
      List.of(
          "# The edgemq.v1 contract, one line per file, enum, value, message, field, service and rpc.",
          "# Checked by GoldenContractTest: lines may be added, never changed or removed (a removed",
          "# field or enum value must be reserved by number and name). See common.proto.");
  private static final Pattern NUMBERED =
      Pattern.compile("^(field|value) (\\S+)\\.(\\w+) = (\\d+)( .*)?$");

  @Test
  void shouldChangeTheContractOnlyByAdding() throws IOException {
    List<String> current = listing();
    if (Boolean.getBoolean("edgemq.golden.write")) {
      List<String> content = new ArrayList<>(HEADER);
      content.addAll(current);
      Files.write(GOLDEN, content, StandardCharsets.UTF_8);
    }
    List<String> golden = readGolden();

    List<String> broken = new ArrayList<>();
    Set<String> now = new LinkedHashSet<>(current);
    for (String line : golden) {
      if (!now.contains(line) && !isReservedNow(line, Contracts.FILES)) {
        broken.add(line);
      }
    }
    Set<String> added = new LinkedHashSet<>(current);
    golden.forEach(added::remove);

    assertThat(broken)
        .as(
            "golden entries changed or removed without `reserved` (a breaking change: never reuse or"
                + " retype a number; reserve it instead)")
        .isEmpty();
    assertThat(added).as("new entries: append them to " + GOLDEN + " to lock them in").isEmpty();
  }

  @Test
  void shouldAcceptARemovedEntryOnlyWhenNumberAndNameAreReserved() throws Exception {
    DescriptorProto later =
        DescriptorProto.newBuilder()
            .setName("Later")
            .addReservedRange(DescriptorProto.ReservedRange.newBuilder().setStart(2).setEnd(4))
            .addReservedName("gone")
            .build();
    EnumDescriptorProto laterEnum =
        EnumDescriptorProto.newBuilder()
            .setName("LaterEnum")
            .addValue(EnumValueDescriptorProto.newBuilder().setName("LATER_ENUM_ZERO").setNumber(0))
            .addReservedRange(
                EnumDescriptorProto.EnumReservedRange.newBuilder().setStart(7).setEnd(7))
            .addReservedName("LATER_ENUM_GONE")
            .build();
    FileDescriptor file =
        FileDescriptor.buildFrom(
            FileDescriptorProto.newBuilder()
                .setName("later.proto")
                .setPackage("edgemq.v1")
                .setSyntax("proto3")
                .addMessageType(later)
                .addEnumType(laterEnum)
                .build(),
            new FileDescriptor[0]);
    List<FileDescriptor> files = List.of(file);

    assertThat(isReservedNow("field edgemq.v1.Later.gone = 3 string", files)).isTrue();
    assertThat(isReservedNow("field edgemq.v1.Later.gone = 4 string", files)).isFalse();
    assertThat(isReservedNow("field edgemq.v1.Later.other = 3 string", files)).isFalse();
    assertThat(isReservedNow("value edgemq.v1.LaterEnum.LATER_ENUM_GONE = 7", files)).isTrue();
    assertThat(isReservedNow("value edgemq.v1.LaterEnum.LATER_ENUM_GONE = 8", files)).isFalse();
    assertThat(isReservedNow("field edgemq.v1.Status.code = 1 edgemq.v1.Code", Contracts.FILES))
        .isFalse();
    assertThat(isReservedNow("message edgemq.v1.Later", files)).isFalse();
  }

  private static List<String> readGolden() throws IOException {
    assertThat(GOLDEN).exists();
    return Files.readAllLines(GOLDEN, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .toList();
  }

  /** A field or enum value line whose number and name are both reserved in its type now. */
  private static boolean isReservedNow(String line, List<FileDescriptor> files) {
    Matcher m = NUMBERED.matcher(line);
    if (!m.matches()) {
      return false;
    }
    String owner = m.group(2);
    String name = m.group(3);
    int number = Integer.parseInt(m.group(4));
    for (FileDescriptor file : files) {
      String local = owner.substring(file.getPackage().length() + 1);
      if (m.group(1).equals("field")) {
        Descriptor type = file.findMessageTypeByName(local);
        if (type != null) {
          DescriptorProto proto = type.toProto();
          return proto.getReservedNameList().contains(name)
              && proto.getReservedRangeList().stream()
                  .anyMatch(r -> r.getStart() <= number && number < r.getEnd());
        }
      } else {
        EnumDescriptor type = file.findEnumTypeByName(local);
        if (type != null) {
          EnumDescriptorProto proto = type.toProto();
          return proto.getReservedNameList().contains(name)
              && proto.getReservedRangeList().stream()
                  .anyMatch(r -> r.getStart() <= number && number <= r.getEnd());
        }
      }
    }
    return false;
  }

  /** One line per message, field, oneof, enum, enum value, service and RPC. */
  static List<String> listing() {
    List<String> out = new ArrayList<>();
    for (FileDescriptor file : Contracts.FILES) {
      out.add("file " + file.getName());
      file.getEnumTypes().forEach(e -> listEnum(e, out));
      file.getMessageTypes().forEach(t -> listMessage(t, out));
      file.getServices().forEach(s -> listService(s, out));
    }
    return out;
  }

  private static void listEnum(EnumDescriptor e, List<String> out) {
    out.add("enum " + e.getFullName());
    for (EnumValueDescriptor v : e.getValues()) {
      out.add("value " + e.getFullName() + "." + v.getName() + " = " + v.getNumber());
    }
  }

  private static void listMessage(Descriptor t, List<String> out) {
    out.add("message " + t.getFullName());
    for (FieldDescriptor f : t.getFields()) {
      String oneof =
          f.getRealContainingOneof() == null
              ? ""
              : " (oneof " + f.getRealContainingOneof().getName() + ")";
      out.add(
          "field "
              + t.getFullName()
              + "."
              + f.getName()
              + " = "
              + f.getNumber()
              + " "
              + type(f)
              + oneof);
    }
    t.getEnumTypes().forEach(e -> listEnum(e, out));
    t.getNestedTypes().stream()
        .filter(n -> !n.getOptions().getMapEntry())
        .forEach(n -> listMessage(n, out));
  }

  private static void listService(ServiceDescriptor s, List<String> out) {
    out.add("service " + s.getFullName());
    for (MethodDescriptor m : s.getMethods()) {
      out.add(
          "rpc "
              + s.getFullName()
              + "."
              + m.getName()
              + "("
              + (m.isClientStreaming() ? "stream " : "")
              + m.getInputType().getFullName()
              + ") returns ("
              + (m.isServerStreaming() ? "stream " : "")
              + m.getOutputType().getFullName()
              + ")");
    }
  }

  private static String type(FieldDescriptor f) {
    if (f.isMapField()) {
      Descriptor entry = f.getMessageType();
      return "map<"
          + type(entry.findFieldByNumber(1))
          + ", "
          + type(entry.findFieldByNumber(2))
          + ">";
    }
    String base =
        switch (f.getType()) {
          case MESSAGE -> f.getMessageType().getFullName();
          case ENUM -> f.getEnumType().getFullName();
          default -> f.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
    if (f.isRepeated()) {
      return "repeated " + base;
    }
    return f.toProto().getProto3Optional() ? "optional " + base : base;
  }
}
