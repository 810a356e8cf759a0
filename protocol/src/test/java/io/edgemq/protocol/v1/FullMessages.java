package io.edgemq.protocol.v1;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import java.lang.reflect.InvocationTargetException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds messages with every field set to a value other than its default, so a round trip through
 * bytes proves every field survives. Values are derived from field numbers and names, so they are
 * the same on every run. For a oneof, the field at {@code oneofChoice} (modulo its size) is set.
 */
final class FullMessages {

  private static final int MAX_DEPTH = 6;

  private FullMessages() {}

  /**
   * A new builder of the generated class of a top-level {@code edgemq.v1} message type.
   *
   * @param type the message type
   * @return an empty builder of the generated class
   */
  static Message.Builder newBuilder(Descriptor type) {
    String className = "io.edgemq.protocol.v1." + type.getName();
    try {
      return (Message.Builder) Class.forName(className).getMethod("newBuilder").invoke(null);
    } catch (ClassNotFoundException
        | NoSuchMethodException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalStateException("no generated class " + className + " for " + type, e);
    }
  }

  /**
   * A message of the type with every field set.
   *
   * @param type a top-level message type of edgemq.v1
   * @param oneofChoice which member of each oneof to set
   * @return the filled message, of the generated class
   */
  static Message full(Descriptor type, int oneofChoice) {
    Message.Builder b = newBuilder(type);
    fill(b, oneofChoice, 0);
    return b.build();
  }

  private static void fill(Message.Builder b, int oneofChoice, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException("message nesting deeper than " + MAX_DEPTH);
    }
    Set<OneofDescriptor> oneofsDone = new HashSet<>();
    for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
      OneofDescriptor oneof = f.getRealContainingOneof();
      if (oneof != null) {
        if (!oneofsDone.add(oneof)) {
          continue;
        }
        f = oneof.getField(Math.floorMod(oneofChoice, oneof.getFieldCount()));
      }
      if (f.isMapField()) {
        for (int i = 0; i < 2; i++) {
          Message.Builder entry = b.newBuilderForField(f);
          Descriptor entryType = f.getMessageType();
          entry.setField(
              entryType.findFieldByName("key"), scalar(entryType.findFieldByName("key"), i));
          FieldDescriptor valueField = entryType.findFieldByName("value");
          entry.setField(valueField, value(b, valueField, oneofChoice, depth, i));
          b.addRepeatedField(f, entry.build());
        }
      } else if (f.isRepeated()) {
        for (int i = 0; i < 2; i++) {
          b.addRepeatedField(f, value(b, f, oneofChoice, depth, i));
        }
      } else {
        b.setField(f, value(b, f, oneofChoice, depth, 0));
      }
    }
  }

  private static Object value(
      Message.Builder parent, FieldDescriptor f, int oneofChoice, int depth, int index) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      Message.Builder child = parent.newBuilderForField(f);
      fill(child, oneofChoice + index, depth + 1);
      return child.build();
    }
    return scalar(f, index);
  }

  private static Object scalar(FieldDescriptor f, int index) {
    int n = f.getNumber() * 10 + index + 1;
    return switch (f.getJavaType()) {
      case INT -> n;
      case LONG -> 1_700_000_000_000L + n;
      case FLOAT -> n + 0.5f;
      case DOUBLE -> n + 0.25;
      case BOOLEAN -> true;
      case STRING -> f.getName() + "-" + index + "-é";
      case BYTE_STRING -> ByteString.copyFrom(new byte[] {0, (byte) n, (byte) 0xff, 0x7f});
      case ENUM -> lastValue(f.getEnumType().getValues(), index);
      case MESSAGE -> throw new IllegalArgumentException("not a scalar: " + f);
    };
  }

  /** A defined value other than the zero value, different for different indexes where possible. */
  private static EnumValueDescriptor lastValue(List<EnumValueDescriptor> values, int index) {
    if (values.size() < 2) {
      throw new IllegalStateException("enum without a non-zero value: " + values);
    }
    return values.get(values.size() - 1 - index % (values.size() - 1));
  }

  /**
   * Lists the fields of a message (recursively) that are not set: a singular field without
   * presence, a repeated field that is empty, or a oneof with no member set.
   *
   * @param m the message
   * @return paths of the unset fields, empty when every field is set
   */
  static List<String> unsetFields(Message m) {
    List<String> unset = new java.util.ArrayList<>();
    collectUnset(m, m.getDescriptorForType().getName(), unset);
    return unset;
  }

  private static void collectUnset(Message m, String path, List<String> unset) {
    for (OneofDescriptor oneof : m.getDescriptorForType().getRealOneofs()) {
      if (!m.hasOneof(oneof)) {
        unset.add(path + "." + oneof.getName());
      }
    }
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      String fieldPath = path + "." + f.getName();
      if (f.isRepeated()) {
        if (m.getRepeatedFieldCount(f) == 0) {
          unset.add(fieldPath);
        } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()) {
          collectUnset((Message) m.getRepeatedField(f, 0), fieldPath + "[0]", unset);
        }
      } else if (f.getRealContainingOneof() != null) {
        if (m.hasField(f) && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          collectUnset((Message) m.getField(f), fieldPath, unset);
        }
      } else if (!hasValue(m, f)) {
        unset.add(fieldPath);
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        collectUnset((Message) m.getField(f), fieldPath, unset);
      }
    }
  }

  private static boolean hasValue(Message m, FieldDescriptor f) {
    if (f.hasPresence()) {
      return m.hasField(f);
    }
    return !m.getField(f).equals(f.getDefaultValue());
  }
}
