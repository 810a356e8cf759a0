package io.edgemq.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Unwraps binary WebSocket frames into the byte stream the MQTT decoder reads, and wraps encoded
 * MQTT packets into binary frames. Packets need not align with frames: the decoder reassembles.
 * Text frames are a protocol error; Netty's WebSocket handler answers pings and closes.
 */
final class WebSocketFrames extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {
  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
    out.add(new BinaryWebSocketFrame(msg.retain()));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
      out.add(frame.content().retain());
    } else {
      // MQTT over WebSocket is binary only (MQTT 5 section 6.0)
      ctx.close();
    }
  }
}
