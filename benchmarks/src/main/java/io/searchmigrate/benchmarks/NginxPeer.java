package io.searchmigrate.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx as a plain keep-alive reverse proxy in front of one upstream: the floor for forwarding, measured beside
 * the capture proxy. Usage:
 *
 * <pre>{@code
 * try (NginxPeer nginx = NginxPeer.start(Path.of("/usr/sbin/nginx"), 18080, "127.0.0.1", 9200)) {
 *   // send requests to nginx.address(); nginx.cpuTicks() is its CPU so far (master and workers)
 * }
 * }</pre>
 *
 * <p>Its configuration, pid file, logs and temp files live in a fresh temp directory (nothing of the system's nginx
 * configuration is read), it listens on loopback only, and {@link #close()} stops it by its PID and deletes the
 * directory. Run by root, it drops to {@code nobody} before nginx starts.
 */
final class NginxPeer implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final InetSocketAddress address;

  private NginxPeer(Process process, Path dir, InetSocketAddress address) {
    this.process = process;
    this.dir = dir;
    this.address = address;
  }

  /** The nginx binary named by -Dsearchmigrate.nginx, or /usr/sbin/nginx; null when there is none. */
  static Path binary() {
    Path path = Path.of(System.getProperty("searchmigrate.nginx", "/usr/sbin/nginx"));
    return Files.isExecutable(path) ? path : null;
  }

  static NginxPeer start(Path nginx, int listenPort, String upstreamHost, int upstreamPort) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("bench-nginx-");
    String conf = """
        daemon off;
        master_process on;
        worker_processes auto;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          upstream source {
            server %2$s:%3$d;
            keepalive 128;
          }
          server {
            listen 127.0.0.1:%4$d;
            keepalive_requests 1000000;
            location / {
              proxy_pass http://source;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
          }
        }
        """.formatted(dir, upstreamHost, upstreamPort, listenPort);
    Files.writeString(dir.resolve("nginx.conf"), conf);
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      // nobody must create the temp folders and the log in dir
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
    }
    command.addAll(List.of(nginx.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
        "-c", dir.resolve("nginx.conf").toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    NginxPeer peer = new NginxPeer(process, dir, new InetSocketAddress("127.0.0.1", listenPort));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(peer.address, 500);
        return peer;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          String log = Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "";
          peer.close();
          throw new IOException("nginx did not start listening on " + peer.address + " (" + String.join(" ", command) + "): "
              + log + Files.readString(dir.resolve("stdout.log")));
        }
        Thread.sleep(100);
      }
    }
  }

  InetSocketAddress address() {
    return address;
  }

  long pid() {
    return process.pid();
  }

  /** CPU clock ticks of the master and its workers so far. */
  long cpuTicks() {
    long ticks = ProxyBenchmark.cpuTicks(process.pid());
    for (ProcessHandle worker : process.descendants().toList()) {
      ticks += ProxyBenchmark.cpuTicks(worker.pid());
    }
    return ticks;
  }

  /** Stops nginx by its PID (SIGTERM: a fast shutdown) and deletes its directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    workers.forEach(ProcessHandle::destroyForcibly); // orphans only if the master was killed
    BenchmarkFiles.deleteTree(dir);
  }
}
