package io.searchmigrate.benchmarks;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.LocalProxies;
import io.searchmigrate.launcher.LocalProxies.ProxyRequest;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.proxy.ProxyConfig;
import io.searchmigrate.proxy.ProxyMain;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests per second and latency through the capture proxy versus straight to the same Elasticsearch 7.10.2,
 * at 1, 16 and 64 concurrent keep-alive connections, with a real Kafka broker capturing, and nginx
 * (when installed) as a plain keep-alive reverse proxy beside them: the floor for forwarding. Not a test: run it
 * with {@code benchmarks/proxy-bench.sh} and read the table it prints (BENCHMARKS.md explains the method).
 *
 * <p>Each connection loops over a fixed mix: 80 % {@code GET /bench/_doc/<id>} of a preloaded document,
 * 20 % {@code PUT /bench/_doc/<id>} of a small document (a mutating request: the proxy holds its last bytes
 * until Kafka acknowledges the capture). Direct and proxied rounds alternate, so drift hits both alike.
 */
public final class ProxyBenchmark {
  private static final int DOCS = 1000;
  private static final String INDEX = "bench";

  /** Latencies (ns) of one kind of request, in one round. */
  private record Sample(long[] getNanos, int gets, long[] putNanos, int puts, long errors, double seconds) {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int[] levels = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 16, 64};
    // each path at each level before its measured rounds: the JIT recompiles for a new load (more connections, fuller
    // reads and batches) for several seconds of CPU, which 3 s did not cover (BENCHMARKS.md, issue 11)
    String warmupSetting = System.getenv("PROXY_BENCH_WARMUP");
    int levelWarmup = warmupSetting == null || warmupSetting.isBlank() ? 15 : Integer.parseInt(warmupSetting.trim());

    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker kafka = TestKafka.shared();
    prepareIndex(es);
    Set<Integer> taken = new HashSet<>();
    String topic = "bench-" + System.currentTimeMillis();
    List<String> capture = List.of("--kafka", kafka.bootstrap(), "--topic", topic);
    Proxy capturing = Proxy.start("bench-capturing", es, capture, taken);
    Proxy forwarding = Proxy.start("bench-forwarding", es, List.of("--no-capture"), taken);
    Path nginxBinary = NginxPeer.binary();
    if (nginxBinary == null) {
      System.out.println("no nginx at " + System.getProperty("searchmigrate.nginx", "/usr/sbin/nginx")
          + " (benchmarks/proxy-bench.sh installs Debian's nginx-light): the nginx rows are left out");
    }
    NginxPeer nginx = nginxBinary == null ? null : NginxPeer.start(nginxBinary, freePort(taken), "127.0.0.1", es.port());
    try {
      InetSocketAddress direct = new InetSocketAddress("127.0.0.1", es.port());
      System.out.printf("Elasticsearch 7.10.2 at %s; capture proxy at %s (pid %d, Kafka %s topic %s); forward-only proxy at %s (pid %d);"
              + " %d s per round, %d rounds, %d cores, load average before: %s%n",
          es.url(), capturing.address, capturing.process.pid(), kafka.bootstrap(), topic, forwarding.address, forwarding.process.pid(),
          seconds, rounds, Runtime.getRuntime().availableProcessors(), LoadFigures.loadAverage());
      if (nginx != null) {
        System.out.printf("nginx (%s, keep-alive upstream) at %s (pid %d)%n", nginxBinary, nginx.address(), nginx.pid());
      }
      List<String> table = new ArrayList<>();
      table.add("| connections | path | requests/s | p50 ms | p99 ms | GET p50 ms | PUT p50 ms | errors | throughput vs direct | p50 added ms | p99 added ms |");
      table.add("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      // the JIT compiles the proxies' hot paths (Netty, the Kafka producer) for tens of seconds: measure after that
      System.out.println("warming up (30 s through each path)...");
      run(direct, 16, 10);
      run(capturing.address, 16, 30);
      run(forwarding.address, 16, 30);
      if (nginx != null) {
        run(nginx.address(), 16, 10);
      }
      java.util.function.LongSupplier none = () -> 0;
      java.util.function.LongSupplier[] processes = {() -> cpuTicks(es.pid()), () -> cpuTicks(kafka.pid()),
          () -> cpuTicks(capturing.process.pid()), () -> cpuTicks(forwarding.process.pid()), nginx == null ? none : nginx::cpuTicks,
          () -> cpuTicks(ProcessHandle.current().pid())};
      // the same processes' JIT compiler threads alone: what a 10 s round still spends compiling is not the steady cost
      java.util.function.LongSupplier[] compilers = {() -> compilerTicks(es.pid()), () -> compilerTicks(kafka.pid()),
          () -> compilerTicks(capturing.process.pid()), () -> compilerTicks(forwarding.process.pid()), none,
          () -> compilerTicks(ProcessHandle.current().pid())};
      List<String> cpu = new ArrayList<>();
      cpu.add("| connections | path | Elasticsearch | Kafka broker | capture proxy | forward-only proxy | nginx | this load generator |");
      cpu.add("|---:|---|---:|---:|---:|---:|---:|---:|");
      List<String> steadyCpu = new ArrayList<>(cpu);
      for (int connections : levels) {
        run(direct, connections, levelWarmup); // warm-up, every path
        run(capturing.address, connections, levelWarmup);
        run(forwarding.address, connections, levelWarmup);
        if (nginx != null) {
          run(nginx.address(), connections, levelWarmup);
        }
        List<Sample> d = new ArrayList<>();
        List<Sample> p = new ArrayList<>();
        List<Sample> f = new ArrayList<>();
        List<Sample> n = new ArrayList<>();
        long[] cpuDirect = new long[processes.length];
        long[] cpuCapturing = new long[processes.length];
        long[] cpuForwarding = new long[processes.length];
        long[] cpuNginx = new long[processes.length];
        long[][] jit = new long[4][compilers.length]; // direct, capturing, forwarding, nginx
        for (int r = 0; r < rounds; r++) {
          d.add(measured(cpuDirect, jit[0], processes, compilers, () -> run(direct, connections, seconds)));
          p.add(measured(cpuCapturing, jit[1], processes, compilers, () -> run(capturing.address, connections, seconds)));
          f.add(measured(cpuForwarding, jit[2], processes, compilers, () -> run(forwarding.address, connections, seconds)));
          if (nginx != null) {
            n.add(measured(cpuNginx, jit[3], processes, compilers, () -> run(nginx.address(), connections, seconds)));
          }
        }
        int rows = table.size();
        Sample ds = merge(d);
        cpu.add(cpuRow(connections, "direct", cpuDirect, ds));
        cpu.add(cpuRow(connections, "proxy, capturing", cpuCapturing, merge(p)));
        cpu.add(cpuRow(connections, "proxy, no capture", cpuForwarding, merge(f)));
        steadyCpu.add(cpuRow(connections, "direct", minus(cpuDirect, jit[0]), ds));
        steadyCpu.add(cpuRow(connections, "proxy, capturing", minus(cpuCapturing, jit[1]), merge(p)));
        steadyCpu.add(cpuRow(connections, "proxy, no capture", minus(cpuForwarding, jit[2]), merge(f)));
        table.add(row(connections, "direct", ds, null));
        table.add(row(connections, "proxy, capturing", merge(p), ds));
        table.add(row(connections, "proxy, no capture", merge(f), ds));
        if (nginx != null) {
          cpu.add(cpuRow(connections, "nginx", cpuNginx, merge(n)));
          steadyCpu.add(cpuRow(connections, "nginx", minus(cpuNginx, jit[3]), merge(n)));
          table.add(row(connections, "nginx", merge(n), ds));
        }
        table.subList(rows, table.size()).forEach(System.out::println);
      }
      System.out.println();
      table.forEach(System.out::println);
      System.out.println();
      System.out.println("CPU milliseconds per 1000 requests, by process (from /proc/<pid>/stat):");
      cpu.forEach(System.out::println);
      System.out.println();
      System.out.println("The same without the JVMs' JIT compiler threads (C1, C2), which a round of a few seconds still keeps busy");
      System.out.println("after a pause or a new load (deoptimised and recompiled code): the cost per request once compiled:");
      steadyCpu.forEach(System.out::println);
      System.out.println();
      System.out.println("capture proxy counters after the run (load average now: " + LoadFigures.loadAverage() + "):");
      LocalProxies.adminGet(capturing.process.admin(), "/metrics").lines().filter(l -> l.matches("searchmigrate_proxy_(requests_total|mutating_requests_total|capture_records_stored_total"
          + "|capture_records_dropped_total|capture_records_failed_total|capture_confirmed_total|capture_at_risk_total|capture_latency_seconds_(sum|count)) .*"))
          .forEach(l -> System.out.println("  " + l));
      System.out.println("CPU seconds by thread of the capture proxy over the whole run:");
      threadCpu(capturing.process.pid()).forEach(l -> System.out.println("  " + l));
    } finally {
      capturing.stop();
      forwarding.stop();
      if (nginx != null) {
        nginx.close();
      }
    }
  }

  /**
   * A proxy process from proxy/target/proxy.jar, started and stopped by the launcher; PROXY_JAVA_OPTS and PROXY_ARGS
   * (space-separated) add to its command line.
   */
  private static final class Proxy {
    private static final LocalProxies PROXIES = new LocalProxies(ProcessSupervisor.defaultHome(), System.out::println);

    final LocalProxies.Proxy process;
    final InetSocketAddress address;

    private Proxy(LocalProxies.Proxy process, InetSocketAddress address) {
      this.process = process;
      this.address = address;
    }

    static Proxy start(String name, LocalCluster es, List<String> captureArgs, Set<Integer> taken) {
      int listen = LocalProcesses.freePort(taken);
      taken.add(listen);
      int admin = LocalProcesses.freePort(taken);
      taken.add(admin);
      List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx512m"));
      jvm.addAll(words(System.getenv("PROXY_JAVA_OPTS")));
      List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:" + listen, "--source", es.url(), "--admin", "127.0.0.1:" + admin));
      args.addAll(captureArgs);
      args.addAll(words(System.getenv("PROXY_ARGS")));
      ProxyConfig config = ProxyMain.parse(args);
      ProxyRequest request = ProxyRequest.of(name, args, config.listen(), config.admin(), config.source().toString(), config.topic())
          .withJvmOptions(jvm);
      LocalProxies.Proxy process = PROXIES.start(request, LocalProxies.classPath(LocalProcesses.projectRoot(ProxyBenchmark.class)));
      return new Proxy(process, new InetSocketAddress("127.0.0.1", listen));
    }

    void stop() {
      PROXIES.stop(process.name());
    }
  }

  /** Runs a phase and adds the CPU ticks each process used during it, and those of its JIT compiler threads. */
  private static Sample measured(long[] ticks, long[] compilerTicks, java.util.function.LongSupplier[] processes,
      java.util.function.LongSupplier[] compilers, java.util.concurrent.Callable<Sample> phase) throws Exception {
    long[] before = new long[processes.length];
    long[] compilersBefore = new long[compilers.length];
    for (int i = 0; i < processes.length; i++) {
      before[i] = processes[i].getAsLong();
      compilersBefore[i] = compilers[i].getAsLong();
    }
    Sample sample = phase.call();
    for (int i = 0; i < processes.length; i++) {
      ticks[i] += processes[i].getAsLong() - before[i];
      compilerTicks[i] += compilers[i].getAsLong() - compilersBefore[i];
    }
    return sample;
  }

  private static long[] minus(long[] a, long[] b) {
    long[] difference = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      difference[i] = a[i] - b[i];
    }
    return difference;
  }

  private static int freePort(Set<Integer> taken) {
    int port = LocalProcesses.freePort(taken);
    taken.add(port);
    return port;
  }

  /**
   * utime + stime of a JVM's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre": Linux keeps 15 characters
   * of a thread's name), in clock ticks; a thread that ended meanwhile is not counted.
   */
  static long compilerTicks(long pid) {
    return threadTicks(pid).entrySet().stream()
        .filter(e -> e.getKey().startsWith("C1 CompilerThre") || e.getKey().startsWith("C2 CompilerThre"))
        .mapToLong(java.util.Map.Entry::getValue).sum();
  }

  /** The busiest threads of a process: "seconds name", numbered threads of a pool together. */
  private static List<String> threadCpu(long pid) {
    java.util.Map<String, Long> byName = new java.util.TreeMap<>();
    threadTicks(pid).forEach((name, ticks) -> byName.merge(name.replaceAll("\\d+$", "#"), ticks, Long::sum));
    return byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
        .map(e -> String.format(Locale.ROOT, "%6.1f s  %s", e.getValue() / 100.0, e.getKey())).toList();
  }

  /** utime + stime in clock ticks of each live thread of a process, by name, from /proc/<pid>/task/<tid>/stat. */
  private static java.util.Map<String, Long> threadTicks(long pid) {
    java.util.Map<String, Long> byName = new java.util.HashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          byName.merge(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks(stat), Long::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended
    }
    return byName;
  }

  /** {@link #cpuTicks(long)} of each process, in the order given. */
  static long[] cpuTicks(long[] pids) {
    long[] ticks = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      ticks[i] = cpuTicks(pids[i]);
    }
    return ticks;
  }

  /** utime + stime of a process, in clock ticks (1/100 s on Linux). */
  static long cpuTicks(long pid) {
    try {
      return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime from a process's or thread's stat line (the fields after the name, which may hold spaces). */
  private static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static String cpuRow(int connections, String path, long[] ticks, Sample s) {
    double thousands = (s.gets() + s.puts()) / 1000.0;
    StringBuilder row = new StringBuilder("| " + connections + " | " + path + " |");
    for (long t : ticks) {
      row.append(String.format(Locale.ROOT, " %.0f |", t * 10 / thousands));
    }
    return row.toString();
  }

  private static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
  }

  private static String row(int connections, String path, Sample s, Sample direct) {
    double rate = (s.gets() + s.puts()) / s.seconds();
    String comparison = "";
    if (direct != null) {
      double directRate = (direct.gets() + direct.puts()) / direct.seconds();
      comparison = String.format(Locale.ROOT, "%.0f %% | %+.2f | %+.2f", 100 * rate / directRate,
          percentile(all(s), 50) - percentile(all(direct), 50), percentile(all(s), 99) - percentile(all(direct), 99));
    } else {
      comparison = " | | ";
    }
    return String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %s |", connections, path, rate,
        percentile(all(s), 50), percentile(all(s), 99), percentile(Arrays.copyOf(s.getNanos(), s.gets()), 50),
        percentile(Arrays.copyOf(s.putNanos(), s.puts()), 50), s.errors(), comparison);
  }

  private static Sample run(InetSocketAddress target, int connections, int seconds) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    Sample[] samples = new Sample[connections];
    CountDownLatch ready = new CountDownLatch(connections);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int id = c;
      Thread t = new Thread(() -> samples[id] = client(target, id, stop, ready, go), "bench-client-" + c);
      threads.add(t);
      t.start();
    }
    ready.await();
    long started = System.nanoTime();
    go.countDown();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    Sample merged = merge(List.of(samples));
    return new Sample(merged.getNanos(), merged.gets(), merged.putNanos(), merged.puts(), merged.errors(), elapsed);
  }

  private static Sample client(InetSocketAddress target, int id, AtomicBoolean stop, CountDownLatch ready, CountDownLatch go) {
    long[] gets = new long[1 << 16];
    long[] puts = new long[1 << 14];
    int g = 0;
    int p = 0;
    long errors = 0;
    SplittableRandom random = new SplittableRandom(id);
    try (Socket socket = new Socket()) {
      socket.connect(target, 10_000);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
      ready.countDown();
      go.await();
      for (long i = 0; !stop.get(); i++) {
        int doc = random.nextInt(DOCS);
        boolean put = i % 5 == 4;
        byte[] request = put
            ? request("PUT", "/" + INDEX + "/_doc/" + doc, "{\"title\":\"document " + doc + "\",\"n\":" + doc + ",\"by\":" + id + "}")
            : request("GET", "/" + INDEX + "/_doc/" + doc, null);
        long t0 = System.nanoTime();
        out.write(request);
        out.flush();
        int status = readResponse(in);
        long nanos = System.nanoTime() - t0;
        if (status / 100 != 2) {
          errors++;
        }
        if (put) {
          if (p == puts.length) {
            puts = Arrays.copyOf(puts, p * 2);
          }
          puts[p++] = nanos;
        } else {
          if (g == gets.length) {
            gets = Arrays.copyOf(gets, g * 2);
          }
          gets[g++] = nanos;
        }
      }
    } catch (IOException | InterruptedException e) {
      errors++;
      ready.countDown();
    }
    return new Sample(gets, g, puts, p, errors, 0);
  }

  private static byte[] request(String method, String path, String json) {
    String head = method + " " + path + " HTTP/1.1\r\nHost: bench\r\n";
    if (json == null) {
      return (head + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return (head + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Reads one response with a Content-Length body (what Elasticsearch sends for these requests); returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    int length = 0;
    for (String h; !(h = line(in)).isEmpty(); ) {
      if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    in.skipNBytes(length);
    return Integer.parseInt(status.substring(9, 12));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder(64);
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }

  private static Sample merge(List<Sample> samples) {
    int gets = samples.stream().mapToInt(Sample::gets).sum();
    int puts = samples.stream().mapToInt(Sample::puts).sum();
    long[] g = new long[gets];
    long[] p = new long[puts];
    int gi = 0;
    int pi = 0;
    for (Sample s : samples) {
      System.arraycopy(s.getNanos(), 0, g, gi, s.gets());
      gi += s.gets();
      System.arraycopy(s.putNanos(), 0, p, pi, s.puts());
      pi += s.puts();
    }
    return new Sample(g, gets, p, puts, samples.stream().mapToLong(Sample::errors).sum(),
        samples.stream().mapToDouble(Sample::seconds).sum());
  }

  private static long[] all(Sample s) {
    long[] all = Arrays.copyOf(s.getNanos(), s.gets() + s.puts());
    System.arraycopy(s.putNanos(), 0, all, s.gets(), s.puts());
    return all;
  }

  /** The q-th percentile in milliseconds (nearest rank). */
  private static double percentile(long[] nanos, double q) {
    if (nanos.length == 0) {
      return Double.NaN;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(rank, sorted.length - 1))] / 1e6;
  }

  private static void prepareIndex(LocalCluster es) {
    ClusterClient client = ClusterClient.connect(ClusterEndpoint.of(es.url()));
    client.delete("/" + INDEX);
    client.send("PUT", "/" + INDEX, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}".getBytes(StandardCharsets.UTF_8),
        ClusterClient.JSON, Duration.ofSeconds(60)).requireSuccess();
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < DOCS; i++) {
      bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"title\":\"document ").append(i).append("\",\"n\":").append(i).append("}\n");
    }
    client.send("POST", "/" + INDEX + "/_bulk?refresh=true", bulk.toString().getBytes(StandardCharsets.UTF_8), ClusterClient.NDJSON,
        Duration.ofSeconds(60)).requireSuccess();
  }
}
