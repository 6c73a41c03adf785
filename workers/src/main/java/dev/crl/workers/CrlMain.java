package dev.crl.workers;

import dev.crl.workers.cli.CrlCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Set;

/**
 * Entry point of the {@code crl} command line and of every worker process.
 *
 * <p>Settings that libraries read once at class-load time are fixed here, before Quarkus boots:
 * DJL must stay offline (no engine download, no network probe), and the HTTP server only runs
 * for the commands that serve the control plane, so that a short command such as
 * {@code crl env list} neither binds a port nor waits for one.
 */
@QuarkusMain
public class CrlMain implements QuarkusApplication {
  private static final Set<String> SERVING_COMMANDS = Set.of("worker", "serve");

  public static void main(String... args) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    int early = SpecPreflight.check(args, System.err);
    if (early != SpecPreflight.PROCEED) {
      System.exit(early);
    }
    boolean serving = args.length > 0 && SERVING_COMMANDS.contains(args[0]);
    if (!serving && System.getProperty("quarkus.http.host-enabled") == null) {
      System.setProperty("quarkus.http.host-enabled", "false");
    }
    Quarkus.run(CrlMain.class, args);
  }

  @Override
  public int run(String... args) {
    return CrlCommand.create(new CliErrorHandler()).execute(args);
  }
}
