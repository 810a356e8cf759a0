package io.edgemq.gateway.server;

import io.edgemq.gateway.api.GatewayConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The listeners: MQTT over TCP, TLS, WebSocket and secure WebSocket, each on its own port, all on
 * one set of event loops (native epoll when available).
 */
public final class MqttServer implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Map<String, Channel> listeners = new LinkedHashMap<>();

  private MqttServer(EventLoopGroup boss, EventLoopGroup workers) {
    this.boss = boss;
    this.workers = workers;
  }

  /**
   * Binds every configured port.
   *
   * @param gw the shared context
   * @return the running server
   * @throws IOException when a port cannot be bound or the TLS files cannot be read
   */
  public static MqttServer start(GatewayContext gw) throws IOException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    MqttServer s =
        new MqttServer(
            new MultiThreadIoEventLoopGroup(1, io), new MultiThreadIoEventLoopGroup(0, io));
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    try {
      GatewayConfig c = gw.config();
      SslContext ssl = c.tlsPort() >= 0 || c.wssPort() >= 0 ? ssl(c) : null;
      s.bind("mqtt", c.host(), c.mqttPort(), type, new ChannelSetup(gw, null, false));
      s.bind("ws", c.host(), c.wsPort(), type, new ChannelSetup(gw, null, true));
      s.bind("tls", c.host(), c.tlsPort(), type, new ChannelSetup(gw, ssl, false));
      s.bind("wss", c.host(), c.wssPort(), type, new ChannelSetup(gw, ssl, true));
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e instanceof IOException io2 ? io2 : new IOException(e.getMessage(), e);
    }
    return s;
  }

  private static SslContext ssl(GatewayConfig c) throws IOException {
    try {
      SslContextBuilder b =
          SslContextBuilder.forServer(c.tlsCert().toFile(), c.tlsKey().toFile())
              .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
      if (c.tlsClientCa() != null) {
        b.trustManager(c.tlsClientCa().toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
      throw new IOException("cannot load TLS certificate or key: " + e.getMessage(), e);
    }
  }

  private void bind(
      String name, String host, int port, Class<? extends ServerChannel> type, ChannelSetup setup)
      throws IOException {
    if (port < 0) {
      return;
    }
    try {
      Channel ch =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(type)
              .option(ChannelOption.SO_BACKLOG, 4096)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childHandler(setup)
              .bind(new InetSocketAddress(host, port))
              .sync()
              .channel();
      listeners.put(name, ch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + name, e);
    } catch (RuntimeException e) {
      throw new IOException(
          "cannot listen for " + name + " on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param name mqtt, ws, tls or wss
   * @return the bound port, or -1 when that listener is off
   */
  public int port(String name) {
    Channel ch = listeners.get(name);
    return ch == null ? -1 : ((InetSocketAddress) ch.localAddress()).getPort();
  }

  /** Stops accepting, closes every connection and the event loops. */
  @Override
  public void close() {
    List<Channel> all = new ArrayList<>(listeners.values());
    for (Channel c : all) {
      c.close().syncUninterruptibly();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
