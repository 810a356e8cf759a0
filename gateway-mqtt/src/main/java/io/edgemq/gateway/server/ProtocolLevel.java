package io.edgemq.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Notes the protocol level of a connection's first packet, if it is a CONNECT, before the codec
 * reads it, then leaves the pipeline. The codec refuses an unknown level without saying which it
 * was, and the refusal's format depends on it (see {@code MqttConnection}). Best effort: a CONNECT
 * whose level is not in the first read is not noted.
 */
final class ProtocolLevel extends ChannelInboundHandlerAdapter {
  /** The level byte of the first CONNECT, 0..255, when it was in the first read. */
  static final AttributeKey<Integer> KEY = AttributeKey.valueOf("edgemq.mqtt.protocolLevel");

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      int level = levelOf(b);
      if (level >= 0) {
        ctx.channel().attr(KEY).set(level);
      }
    }
    ctx.fireChannelRead(msg);
    ctx.pipeline().remove(this);
  }

  /**
   * @param b the first bytes of a connection (not consumed)
   * @return the protocol level if they start a CONNECT that far, else -1
   */
  static int levelOf(ByteBuf b) {
    int end = b.writerIndex();
    int pos = b.readerIndex();
    if (pos >= end || b.getUnsignedByte(pos) >> 4 != 1) {
      return -1;
    }
    pos++; // fixed header byte, then the remaining length: up to 4 bytes, high bit = more
    for (int n = 0; n < 4 && pos < end && (b.getByte(pos) & 0x80) != 0; n++) {
      pos++;
    }
    pos++;
    if (pos + 2 > end) {
      return -1;
    }
    pos += 2 + b.getUnsignedShort(pos); // protocol name
    return pos < end ? b.getUnsignedByte(pos) : -1;
  }
}
