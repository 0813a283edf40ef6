package io.searchmigrate.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.searchmigrate.proxy.capture.CaptureBudget;
import io.searchmigrate.proxy.capture.CaptureSink;
import io.searchmigrate.proxy.capture.ConnectionCapture;
import io.searchmigrate.proxy.capture.DiscardingSink;
import io.searchmigrate.proxy.capture.KafkaCaptureSink;
import io.searchmigrate.proxy.http.RequestFramer;
import io.searchmigrate.proxy.http.ResponseFramer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture proxy: accepts client connections, opens one upstream connection for each (to the source, or to the
 * target once switched over, see {@link #switchTo}), and wires the two pipelines. The client's pipeline reads like the data path:
 * <pre>
 *   [tls] → [idle] → framer (bytes → request parts) → capture (record; hold mutating ends for Kafka)
 *         → [headers] (set configured headers) → forward (write to the source)
 *   source: [tls] → framer (bytes → response parts) → relay (record; write to the client)
 * </pre>
 *
 * <pre>{@code
 * ProxyServer proxy = ProxyServer.start(ProxyConfig.defaults(listen, URI.create("http://127.0.0.1:9200"), "127.0.0.1:9092", "capture"));
 * ...
 * proxy.shutdown();   // stop accepting, drain requests in flight, store captures
 * }</pre>
 */
public final class ProxyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
  private static final int MAX_RESPONSE_HEAD_BYTES = 1024 * 1024;

  private final ProxyConfig config;
  private final ProxyMetrics metrics = new ProxyMetrics();
  private final CaptureBudget captureBudget;
  private final CaptureSink sink;
  private final String nodeId;
  private final AtomicLong connectionCounter = new AtomicLong();
  private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Bootstrap upstreamBootstrap;
  private final SslContext clientTls;
  private final Upstream source;
  /** Null when no target is configured: the proxy cannot switch. */
  private final Upstream target;
  /** Where requests arriving now go; each request is routed by the mode at its arrival (see {@link #switchTo}). */
  private volatile boolean onTarget;
  private Channel serverChannel;
  private AdminServer admin;
  private volatile boolean draining;

  private ProxyServer(ProxyConfig config) {
    this.config = config;
    this.nodeId = config.nodeId() != null ? config.nodeId() : randomNodeId();
    this.clientTls = config.tlsCertificate() == null ? null : clientTls(config);
    this.source = new Upstream("source", config.source().getHost(), config.sourcePort(),
        config.sourceTls() ? upstreamTls("source", config.sourceCaCertificate(), config.sourceInsecure()) : null,
        config.sourceInsecure(), config.rules());
    ProxyConfig.TargetCluster t = config.target();
    this.target = t == null ? null : new Upstream("target", t.url().getHost(), t.port(),
        t.tls() ? upstreamTls("target", t.caCertificate(), t.insecure()) : null, t.insecure(),
        new CaptureRules(List.of(), List.of(), List.of(), t.setHeaders()));
    this.onTarget = t != null && t.startThere();
    int threads = threads(config);
    boolean epoll = Epoll.isAvailable();
    this.boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    this.workers = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
    this.upstreamBootstrap = new Bootstrap()
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis());
    this.captureBudget = new CaptureBudget(config.captureBufferBytes(), metrics);
    this.sink = config.kafkaBootstrap() == null ? new DiscardingSink()
        : new KafkaCaptureSink(KafkaCaptureSink.producerProperties(config.kafkaBootstrap(), config.captureBufferBytes(),
            config.maxRecordBytes(), config.kafkaProperties()), config.topic(), captureBudget, metrics);
    metrics.kafkaUp(() -> sink.ready() && sink.healthy() ? 1 : 0);
    metrics.onTarget(() -> onTarget ? 1 : 0);
  }

  /** Binds the listen (and admin) address and starts serving; throws IllegalArgumentException for bad settings. */
  public static ProxyServer start(ProxyConfig config) {
    ProxyServer server = new ProxyServer(config);
    try {
      server.bind();
    } catch (RuntimeException e) {
      server.stopEventLoops();
      server.sink.close(1000);
      throw e;
    }
    return server;
  }

  /** Beyond --max-connections: 503 with Retry-After, then close; nothing reaches the source. */
  private void refuse(SocketChannel ch) {
    if (clientTls != null) {
      ch.pipeline().addLast("tls", clientTls.newHandler(ch.alloc()));
    }
    ch.pipeline().addLast("refuse", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        byte[] body = ("the capture proxy has " + config.maxConnections() + " connections open (--max-connections); retry later\n")
            .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(ChannelFutureListener.CLOSE);
        ctx.channel().config().setAutoRead(true); // lets a TLS handshake finish; what the client sends is dropped
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
      }
    });
  }

  private void bind() {
    Class<? extends ServerChannel> serverChannelType = workers instanceof EpollEventLoopGroup
        ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers).channel(serverChannelType)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.AUTO_READ, false) // until the source connection is up
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accept(ch);
          }
        });
    try {
      serverChannel = bootstrap.bind(config.listen()).syncUninterruptibly().channel();
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
    }
    if (config.admin() != null) {
      admin = AdminServer.start(config.admin(), this);
    }
    LOG.info("capture proxy {} listening on {}{}, forwarding to {}, {}{}; {} event loop threads ({})", nodeId, hostPort(address()),
        clientTls != null ? " (TLS)" : "", onTarget ? "the target " + config.target().url() + " (switched over: not capturing)"
            : config.source() + (target == null ? "" : " (switchover target: " + config.target().url() + ")"),
        config.kafkaBootstrap() == null ? "NOT capturing (--no-capture)" : "capturing to Kafka " + config.kafkaBootstrap() + " topic '" + config.topic() + "'",
        admin != null ? "; health and metrics on http://" + hostPort(admin.address()) : "", threads(config),
        workers instanceof EpollEventLoopGroup ? "epoll" : "nio");
    if (config.rules() != CaptureRules.NONE) {
      LOG.info("rules: {}", config.rules());
    }
  }

  private void accept(SocketChannel ch) {
    if (config.maxConnections() > 0 && metrics.connectionsActive.get() >= config.maxConnections()) {
      refuse(ch);
      return;
    }
    String id = nodeId + "." + connectionCounter.incrementAndGet();
    boolean capturing = config.kafkaBootstrap() != null;
    // forwarding alone (--no-capture) skips the capture work altogether: no records built, no credentials redacted
    ConnectionCapture capture = capturing ? new ConnectionCapture(sink, captureBudget, nodeId, id, config.maxRecordBytes())
        : ConnectionCapture.none();
    ProxyConnection connection = new ProxyConnection(id, ch, capture, this);
    connections.add(connection);
    metrics.connectionsOpened.increment();
    metrics.connectionsActive.incrementAndGet();
    capture.open(hostPort(ch.remoteAddress()), hostPort(ch.localAddress()), clientTls != null);

    ChannelPipeline p = ch.pipeline();
    if (clientTls != null) {
      p.addLast("tls", clientTls.newHandler(ch.alloc()));
    }
    if (!config.idleTimeout().isZero()) {
      // reader idleness only: watching writes too costs a promise and a listener per write (ProxyConnection#idle
      // also asks that the last answer is that old)
      p.addLast("idle", new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    }
    p.addLast("framer", new RequestFramer(config.maxHeaderBytes(), config.headTimeout().toMillis(), connection::requestStarted));
    if (capturing) {
      p.addLast("capture", new CaptureRequestHandler(connection, config.rules(), sink, config.holdTimeout().toMillis(),
          config.captureCredentials(), config.onCaptureFailure() == ProxyConfig.OnCaptureFailure.REJECT));
    }
    if (source.headers().setsHeaders() || (target != null && target.headers().setsHeaders())) {
      p.addLast("headers", new HeaderRewriter(source.headers(), target == null ? CaptureRules.NONE : target.headers()));
    }
    p.addLast("forward", new FrontendForwarder(connection));
    connectUpstream(connection, onTarget);
    if (draining) {
      ch.eventLoop().execute(connection::drain);
    }
  }

  /**
   * Opens the connection's upstream connection, to the target or the source; the connection hears of it when it is
   * usable (after the TLS handshake and its certificate check) or unreachable (answered 502).
   */
  void connectUpstream(ProxyConnection connection, boolean toTarget) {
    Upstream upstream = toTarget ? target : source;
    String host = upstream.host();
    int port = upstream.port();
    upstreamBootstrap.clone(connection.frontend.eventLoop()).handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel backend) {
        if (upstream.tls() != null) {
          backend.pipeline().addLast("tls", upstreamTlsHandler(upstream, backend));
        }
        backend.pipeline().addLast("framer", new ResponseFramer(connection.awaiting, MAX_RESPONSE_HEAD_BYTES));
        backend.pipeline().addLast("relay", new BackendRelay(connection, config.captureCredentials()));
      }
    }).connect(host, port).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        connection.upstreamUnreachable(upstream.name(), f.cause());
      } else if (upstream.tls() == null) {
        connection.backendConnected(f.channel(), toTarget);
      } else {
        // usable only once the cluster's certificate is verified; a failure is answered with 502
        f.channel().pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
          if (h.isSuccess()) {
            connection.backendConnected(f.channel(), toTarget);
          } else {
            f.channel().close();
            connection.upstreamUnreachable(upstream.name(), h.cause());
          }
        });
      }
    });
  }

  private static SslHandler upstreamTlsHandler(Upstream upstream, SocketChannel backend) {
    SslHandler handler = upstream.tls().newHandler(backend.alloc(), upstream.host(), upstream.port());
    if (!upstream.insecure()) {
      SSLEngine engine = handler.engine();
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the cluster's host
      engine.setSSLParameters(parameters);
    }
    return handler;
  }

  private static SslContext clientTls(ProxyConfig config) {
    try {
      return SslContextBuilder.forServer(config.tlsCertificate().toFile(), config.tlsKey().toFile()).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use the TLS certificate " + config.tlsCertificate() + " and key " + config.tlsKey()
          + " (expected PEM files: a certificate chain and an unencrypted PKCS#8 private key): " + e.getMessage(), e);
    }
  }

  private static SslContext upstreamTls(String role, Path caCertificate, boolean insecure) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient();
      if (insecure) {
        builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
      } else if (caCertificate != null) {
        builder.trustManager(caCertificate.toFile());
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot set up TLS towards the " + role + " with CA file " + caCertificate
          + " (expected PEM certificates): " + e.getMessage(), e);
    }
  }

  /**
   * Routes requests that arrive from now on to the target ({@code toTarget}) or back to the source. Each request goes
   * where the mode said when its head arrived; a keep-alive connection keeps its client side and moves its upstream
   * connection at its first request routed elsewhere, once the requests before it are answered (see
   * {@link ProxyConnection#forward}). Returns whether the mode changed.
   *
   * @throws IllegalStateException when no target is configured
   */
  public boolean switchTo(boolean toTarget) {
    if (toTarget && target == null) {
      throw new IllegalStateException("this proxy has no target cluster: start it with --target URL to switch over");
    }
    synchronized (this) {
      if (onTarget == toTarget) {
        return false;
      }
      onTarget = toTarget;
      metrics.switches.increment();
    }
    LOG.info("switched: requests arriving from now on go to the {} {}{}", toTarget ? "target" : "source",
        toTarget ? config.target().url() : config.source(), toTarget ? " and are not captured" : " and are captured again");
    return true;
  }

  /** True while requests arriving now go to the target. */
  public boolean onTarget() {
    return onTarget;
  }

  String switchToken() {
    return config.target() == null ? null : config.target().switchToken();
  }

  /** The target's URL, or null when none is configured. */
  public URI targetUrl() {
    return config.target() == null ? null : config.target().url();
  }

  /**
   * Requests received and not answered yet, by the cluster each was routed to: {@code [source, target]}. Counted on
   * each connection's event loop (within 5 s), so a switch can wait until nothing is in flight to the cluster it left.
   */
  public long[] requestsInFlight() {
    List<CompletableFuture<int[]>> counts = new ArrayList<>();
    for (ProxyConnection c : connections) {
      CompletableFuture<int[]> count = new CompletableFuture<>();
      try {
        c.frontend.eventLoop().execute(() -> count.complete(c.inFlight()));
      } catch (RejectedExecutionException e) {
        continue; // stopping
      }
      counts.add(count);
    }
    long[] total = new long[2];
    for (CompletableFuture<int[]> count : counts) {
      try {
        int[] n = count.get(5, TimeUnit.SECONDS);
        total[0] += n[0];
        total[1] += n[1];
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        total[0] = total[1] = -1;
        return total;
      }
    }
    return total;
  }

  private static int threads(ProxyConfig config) {
    return config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
  }

  void connectionClosed(ProxyConnection connection) {
    connections.remove(connection);
  }

  public ProxyMetrics metrics() {
    return metrics;
  }

  public String nodeId() {
    return nodeId;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Where /health and /metrics answer, or null. */
  public InetSocketAddress adminAddress() {
    return admin == null ? null : admin.address();
  }

  long idleTimeoutNanos() {
    return config.idleTimeout().toNanos();
  }

  boolean draining() {
    return draining;
  }

  /** "connecting" until the producer has the topic's metadata, then "up" or "down" (acknowledgements arrive or not). */
  public String kafkaState() {
    return !sink.ready() ? "connecting" : sink.healthy() ? "up" : "down";
  }

  int openConnections() {
    return connections.size();
  }

  /**
   * Graceful shutdown: stop accepting, let each connection finish the requests in flight (up to the drain
   * timeout), then store the captures still buffered (up to 10 s more) and stop.
   */
  public void shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    draining = true;
    LOG.info("shutting down: no new connections; draining {} open connections (up to {} s)", connections.size(),
        config.drainTimeout().toSeconds());
    serverChannel.close().syncUninterruptibly();
    for (ProxyConnection c : connections) {
      c.frontend.eventLoop().execute(c::drain);
    }
    if (!awaitNoConnections(config.drainTimeout().toMillis())) {
      LOG.warn("{} connections still had requests in flight after {} s; closing them", connections.size(),
          config.drainTimeout().toSeconds());
      for (ProxyConnection c : connections) {
        c.frontend.eventLoop().execute(c::closeByProxy);
      }
      awaitNoConnections(2000);
    }
    sink.close(10_000);
    if (admin != null) {
      admin.stop();
    }
    stopEventLoops();
    LOG.info("stopped: {} capture records stored, {} dropped, {} failed, {} mutating requests at risk, {} refused (503)",
        metrics.captureRecordsStored.sum(), metrics.captureRecordsDropped.sum(), metrics.captureRecordsFailed.sum(),
        metrics.captureAtRisk.sum(), metrics.captureRejected.sum());
  }

  private boolean awaitNoConnections(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!connections.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return connections.isEmpty();
  }

  private void stopEventLoops() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public void close() {
    shutdown();
  }

  static String hostPort(Object address) {
    if (address instanceof InetSocketAddress a) {
      return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
    return String.valueOf(address);
  }

  private static String randomNodeId() {
    byte[] bytes = new byte[6];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
