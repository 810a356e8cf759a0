package io.edgemq.gateway.server;

import java.util.Locale;

/** Why a connection ended, as counted by the metrics ({@code reason} label, lower case). */
public enum CloseReason {
  /** The client sent DISCONNECT. */
  CLIENT_DISCONNECT,
  /** The socket closed or failed without a DISCONNECT. */
  CONNECTION_LOST,
  /** No CONNECT within the connect timeout. */
  CONNECT_TIMEOUT,
  /** CONNECT refused (credentials, authorization, client id, will topic, session store). */
  CONNECT_REFUSED,
  /** Above the node's maximum number of connections. */
  SERVER_BUSY,
  /** No packet within 1.5 × keep-alive. */
  KEEP_ALIVE_TIMEOUT,
  /** Another connection took the session over. */
  TAKEN_OVER,
  /** A packet the protocol does not allow in this state. */
  PROTOCOL_ERROR,
  /** A packet that does not decode. */
  MALFORMED_PACKET,
  /** A packet above the maximum packet size. */
  PACKET_TOO_LARGE,
  /** More unacknowledged QoS 1/2 PUBLISHes than the receive maximum. */
  RECEIVE_MAXIMUM_EXCEEDED,
  /** A bad topic name or topic alias. */
  TOPIC_INVALID,
  /** MQTT 3.1.1 client whose message the broker did not store (it has no failure ack). */
  NOT_STORED,
  /** Any other server-sent DISCONNECT. */
  SERVER_DISCONNECT;

  private final String label = name().toLowerCase(Locale.ROOT);

  /**
   * @return the metric label
   */
  public String label() {
    return label;
  }

  /**
   * @param code an MQTT 5 DISCONNECT reason code the server sends
   * @return the reason it stands for
   */
  static CloseReason ofDisconnectCode(int code) {
    return switch (code) {
      case 0x81 -> MALFORMED_PACKET;
      case 0x82 -> PROTOCOL_ERROR;
      case 0x8D -> KEEP_ALIVE_TIMEOUT;
      case 0x8E -> TAKEN_OVER;
      case 0x90, 0x94 -> TOPIC_INVALID;
      case 0x93 -> RECEIVE_MAXIMUM_EXCEEDED;
      case 0x95 -> PACKET_TOO_LARGE;
      default -> SERVER_DISCONNECT;
    };
  }
}
