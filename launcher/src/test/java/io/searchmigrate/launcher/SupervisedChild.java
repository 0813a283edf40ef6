package io.searchmigrate.launcher;

/**
 * A child process for {@link ProcessSupervisorTest}: says "ready" and sleeps. With {@code stubborn} it holds
 * SIGTERM off (a shutdown hook that does not return), so only SIGKILL ends it.
 */
public final class SupervisedChild {
  private SupervisedChild() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("stubborn")) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          Thread.sleep(120_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(120_000);
  }
}
