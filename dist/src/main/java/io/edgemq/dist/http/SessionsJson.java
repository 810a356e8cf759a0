package io.edgemq.dist.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgemq.gateway.api.SessionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON a gateway node serves at {@code /api/gateway/sessions}: an array of objects with {@code
 * clientId, connected, address, protocolVersion, username, persistent, subscriptions, queued,
 * dropped, createdAt, expiresAt} (times in ISO-8601 UTC; {@code expiresAt} null while connected or
 * never).
 */
public final class SessionsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The keys of each object, in order (the admin command's columns). */
  public static final List<String> KEYS =
      List.of(
          "clientId",
          "connected",
          "address",
          "protocolVersion",
          "username",
          "persistent",
          "subscriptions",
          "queued",
          "dropped",
          "createdAt",
          "expiresAt");

  private SessionsJson() {}

  /**
   * @param sessions a node's sessions
   * @return the document
   */
  public static String write(List<SessionInfo> sessions) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SessionInfo s : sessions) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("clientId", s.clientId());
      m.put("connected", s.connected());
      m.put("address", s.address());
      m.put("protocolVersion", s.protocolVersion() == 0 ? null : s.protocolVersion());
      m.put("username", s.username());
      m.put("persistent", s.persistent());
      m.put("subscriptions", s.subscriptions());
      m.put("queued", s.queued());
      m.put("dropped", s.dropped());
      m.put("createdAt", Instant.ofEpochMilli(s.createdAtMillis()).toString());
      m.put(
          "expiresAt",
          s.expiresAtMillis() == Long.MAX_VALUE
              ? null
              : Instant.ofEpochMilli(s.expiresAtMillis()).toString());
      out.add(m);
    }
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write sessions as JSON", e);
    }
  }

  /**
   * @param json a document {@link #write} wrote
   * @return its objects
   * @throws IllegalArgumentException when it is not such a document
   */
  public static List<Map<String, Object>> read(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<Map<String, Object>>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a sessions document: " + e.getOriginalMessage(), e);
    }
  }
}
