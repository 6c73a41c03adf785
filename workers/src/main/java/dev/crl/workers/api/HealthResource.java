package dev.crl.workers.api;

import dev.crl.workers.runtime.WorkerHost;
import dev.crl.workers.runtime.WorkerState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Liveness and readiness for orchestrators (the Helm chart's probes use these). */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

  /** The process is up. */
  @GET
  @Path("/live")
  public Map<String, String> live() {
    return Map.of("status", "UP");
  }

  /** The worker is polling its task queues. */
  @GET
  @Path("/ready")
  public Response ready() {
    WorkerHost host = WorkerState.host();
    if (host == null) {
      return Response.status(503).entity(Map.of("status", "DOWN", "reason", "worker not started")).build();
    }
    return Response.ok(Map.of("status", "UP", "roles", host.roles().toString())).build();
  }
}
