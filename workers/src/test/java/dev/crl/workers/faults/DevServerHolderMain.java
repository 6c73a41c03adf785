package dev.crl.workers.faults;

import dev.crl.workers.runtime.DevServerTemporal;
import java.nio.file.Path;

/**
 * A JVM that starts an embedded Temporal dev server the way {@code crl train} does and then
 * waits, for tests that stop the JVM from outside. Arguments: temporal-cli db-file. Prints the
 * server's process id once it serves.
 */
public final class DevServerHolderMain {
  private DevServerHolderMain() {}

  public static void main(String[] args) throws Exception {
    DevServerTemporal server = DevServerTemporal.start(Path.of(args[0]), Path.of(args[1]), 0);
    System.out.println("dev server pid " + server.process().pid());
    System.out.flush();
    Thread.currentThread().join();
  }
}
