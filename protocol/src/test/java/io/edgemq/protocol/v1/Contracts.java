package io.edgemq.protocol.v1;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;

/** The {@code edgemq.v1} files, their top-level messages and their services, for tests. */
final class Contracts {

  static final List<FileDescriptor> FILES =
      List.of(
          CommonProto.getDescriptor(),
          NameServerProto.getDescriptor(),
          BrokerProto.getDescriptor(),
          AdminProto.getDescriptor(),
          PopProto.getDescriptor(),
          TraceProto.getDescriptor(),
          TransactionProto.getDescriptor());

  private Contracts() {}

  /** Every top-level message type of every file, in file order. */
  static List<Descriptor> messageTypes() {
    List<Descriptor> all = new ArrayList<>();
    FILES.forEach(f -> all.addAll(f.getMessageTypes()));
    return all;
  }

  /** Every service of every file, in file order. */
  static List<ServiceDescriptor> services() {
    List<ServiceDescriptor> all = new ArrayList<>();
    FILES.forEach(f -> all.addAll(f.getServices()));
    return all;
  }
}
