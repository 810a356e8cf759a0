package io.edgemq.gateway.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of one listener: [TLS] → [HTTP upgrade and WebSocket frames] → MQTT codec → the
 * connection handler. One handler per concern; the codec knows nothing of sessions.
 */
final class ChannelSetup extends ChannelInitializer<SocketChannel> {
  /** Path and subprotocols of MQTT over WebSocket (MQTT 5 section 6). */
  static final String WS_PATH = "/mqtt";

  static final String WS_SUBPROTOCOLS = "mqtt,mqttv3.1,mqttv3.1.1";

  private final GatewayContext gw;
  private final SslContext ssl;
  private final boolean webSocket;

  ChannelSetup(GatewayContext gw, SslContext ssl, boolean webSocket) {
    this.gw = gw;
    this.ssl = ssl;
    this.webSocket = webSocket;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    // many small writes per read (fan-out, acks) leave in one flush
    p.addLast("flush", new FlushConsolidationHandler(256, true));
    if (ssl != null) {
      p.addLast("tls", ssl.newHandler(ch.alloc()));
    }
    int max = gw.config().maxPacketBytes();
    if (webSocket) {
      p.addLast("http", new HttpServerCodec());
      p.addLast("httpAggregator", new HttpObjectAggregator(65_536));
      p.addLast(
          "ws",
          new WebSocketServerProtocolHandler(
              WebSocketServerProtocolConfig.newBuilder()
                  .websocketPath(WS_PATH)
                  .subprotocols(WS_SUBPROTOCOLS)
                  .maxFramePayloadLength(max + 5)
                  .handshakeTimeoutMillis(gw.config().connectTimeout().toMillis())
                  .build()));
      p.addLast("wsFrames", new WebSocketFrames());
    }
    p.addLast("protocolLevel", new ProtocolLevel());
    p.addLast("mqttDecoder", new MqttDecoder(max));
    p.addLast("mqttEncoder", MqttEncoder.INSTANCE);
    if (gw.packetObserver() != null) {
      p.addLast("packetObserver", gw.packetObserver());
    }
    p.addLast("mqtt", new MqttConnection(gw));
  }
}
