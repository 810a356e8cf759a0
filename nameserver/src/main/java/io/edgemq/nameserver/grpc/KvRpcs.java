package io.edgemq.nameserver.grpc;

import io.edgemq.nameserver.kv.KvConfigStore;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.DeleteKvConfigRequest;
import io.edgemq.protocol.v1.DeleteKvConfigResponse;
import io.edgemq.protocol.v1.GetKvConfigRequest;
import io.edgemq.protocol.v1.GetKvConfigResponse;
import io.edgemq.protocol.v1.ListKvConfigRequest;
import io.edgemq.protocol.v1.ListKvConfigResponse;
import io.edgemq.protocol.v1.PutKvConfigRequest;
import io.edgemq.protocol.v1.PutKvConfigResponse;
import io.edgemq.protocol.v1.Status;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** KV config RPCs. A failed write of the KV file answers INTERNAL and changes nothing. */
final class KvRpcs {
  private static final Logger LOG = LoggerFactory.getLogger(KvRpcs.class);

  /** Largest value, in UTF-8 bytes: "at most 64 KiB". */
  static final int MAX_VALUE_BYTES = 64 * 1024;

  private final KvConfigStore store;

  KvRpcs(KvConfigStore store) {
    this.store = store;
  }

  PutKvConfigResponse put(PutKvConfigRequest r) {
    Status refusal = namespaceAndKeyProblem(r.getNamespace(), r.getKey());
    if (refusal == null && r.getValueBytes().size() > MAX_VALUE_BYTES) {
      refusal =
          Codes.status(
              Code.BAD_REQUEST,
              "value is " + r.getValueBytes().size() + " bytes, over " + MAX_VALUE_BYTES);
    }
    if (refusal != null) {
      return PutKvConfigResponse.newBuilder().setStatus(refusal).build();
    }
    try {
      store.put(r.getNamespace(), r.getKey(), r.getValue());
      return PutKvConfigResponse.newBuilder().setStatus(Codes.ok()).build();
    } catch (IOException e) {
      return PutKvConfigResponse.newBuilder().setStatus(writeFailed(e)).build();
    }
  }

  GetKvConfigResponse get(GetKvConfigRequest r) {
    Status refusal = namespaceAndKeyProblem(r.getNamespace(), r.getKey());
    if (refusal != null) {
      return GetKvConfigResponse.newBuilder().setStatus(refusal).build();
    }
    return store
        .get(r.getNamespace(), r.getKey())
        .map(v -> GetKvConfigResponse.newBuilder().setStatus(Codes.ok()).setValue(v).build())
        .orElseGet(
            () ->
                GetKvConfigResponse.newBuilder()
                    .setStatus(configNotFound(r.getNamespace(), r.getKey()))
                    .build());
  }

  DeleteKvConfigResponse delete(DeleteKvConfigRequest r) {
    Status status = namespaceAndKeyProblem(r.getNamespace(), r.getKey());
    if (status == null) {
      try {
        status =
            store.delete(r.getNamespace(), r.getKey())
                ? Codes.ok()
                : configNotFound(r.getNamespace(), r.getKey());
      } catch (IOException e) {
        status = writeFailed(e);
      }
    }
    return DeleteKvConfigResponse.newBuilder().setStatus(status).build();
  }

  ListKvConfigResponse list(ListKvConfigRequest r) {
    if (r.getNamespace().isEmpty()) {
      return ListKvConfigResponse.newBuilder()
          .setStatus(Codes.status(Code.BAD_REQUEST, "namespace is required"))
          .build();
    }
    return ListKvConfigResponse.newBuilder()
        .setStatus(Codes.ok())
        .putAllEntries(store.list(r.getNamespace()))
        .build();
  }

  private static Status namespaceAndKeyProblem(String namespace, String key) {
    if (namespace.isEmpty()) {
      return Codes.status(Code.BAD_REQUEST, "namespace is required");
    }
    if (key.isEmpty()) {
      return Codes.status(Code.BAD_REQUEST, "key is required");
    }
    return null;
  }

  private static Status configNotFound(String namespace, String key) {
    return Codes.status(
        Code.CONFIG_NOT_FOUND, "no KV config entry '" + key + "' in namespace '" + namespace + "'");
  }

  private static Status writeFailed(IOException e) {
    LOG.error("could not write the KV config file; the change was not applied", e);
    return Codes.status(Code.INTERNAL, "could not write the KV config file: " + e.getMessage());
  }
}
