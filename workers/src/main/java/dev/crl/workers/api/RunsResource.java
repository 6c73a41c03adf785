package dev.crl.workers.api;

import dev.crl.api.payload.HyperparameterChange;
import dev.crl.api.payload.RunStatus;
import dev.crl.workers.runtime.WorkerHost;
import dev.crl.workers.runtime.WorkerState;
import dev.crl.workflows.TrainingRunWorkflow;
import dev.crl.workflows.WorkflowIds;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The control plane: status of a run, pause / resume / graceful stop, and validated
 * hyperparameter changes, all forwarded to the run's workflow.
 */
@Path("/api/runs/{runId}")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

  @GET
  public RunStatus status(@PathParam("runId") String runId) {
    return run(runId).status();
  }

  @POST
  @Path("/pause")
  public Map<String, String> pause(@PathParam("runId") String runId) {
    run(runId).pause();
    return Map.of("run", runId, "signal", "pause");
  }

  @POST
  @Path("/resume")
  public Map<String, String> resume(@PathParam("runId") String runId) {
    run(runId).resume();
    return Map.of("run", runId, "signal", "resume");
  }

  @POST
  @Path("/stop")
  public Map<String, String> stop(@PathParam("runId") String runId) {
    run(runId).stop();
    return Map.of("run", runId, "signal", "stop");
  }

  @POST
  @Path("/hyperparameters")
  public Response change(@PathParam("runId") String runId, HyperparameterChange change) {
    try {
      return Response.ok(run(runId).updateHyperparameters(change)).build();
    } catch (WorkflowUpdateException rejected) {
      Throwable cause = rejected.getCause() == null ? rejected : rejected.getCause();
      return Response.status(400).entity(Map.of("error", String.valueOf(cause.getMessage()))).build();
    }
  }

  private static TrainingRunWorkflow run(String runId) {
    WorkerHost host = WorkerState.host();
    if (host == null) {
      throw new WebApplicationException("no worker is running in this process", 503);
    }
    try {
      return host.client().newWorkflowStub(TrainingRunWorkflow.class, WorkflowIds.run(runId));
    } catch (WorkflowNotFoundException e) {
      throw new WebApplicationException("no run " + runId, 404);
    }
  }
}
