package dev.crl.workers.runtime;

import dev.crl.api.spec.BackendsSpec;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A Temporal cluster this process connects to and never stops. */
public final class ClusterTemporal implements TemporalService {
  private final WorkflowServiceStubs stubs;
  private final BackendsSpec.TemporalBackend config;

  private ClusterTemporal(WorkflowServiceStubs stubs, BackendsSpec.TemporalBackend config) {
    this.stubs = stubs;
    this.config = config;
  }

  /** Connects (lazily: the first call fails clearly if the frontend is unreachable). */
  public static ClusterTemporal connect(BackendsSpec.TemporalBackend config) {
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.address());
    if (config.tlsCert() != null || config.tlsCa() != null) {
      options.setSslContext(sslContext(config));
    }
    return new ClusterTemporal(WorkflowServiceStubs.newServiceStubs(options.build()), config);
  }

  private static SslContext sslContext(BackendsSpec.TemporalBackend config) {
    try {
      SslContextBuilder builder = GrpcSslContexts.forClient();
      if (config.tlsCert() != null) {
        builder.keyManager(new File(config.tlsCert()), new File(config.tlsKey()));
      }
      if (config.tlsCa() != null) {
        builder.trustManager(new File(config.tlsCa()));
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Temporal TLS files: " + e.getMessage(), e);
    }
  }

  @Override
  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  @Override
  public String address() {
    return config.address();
  }

  @Override
  public String namespace() {
    return config.namespace();
  }

  @Override
  public String describe() {
    return "Temporal cluster " + config.address() + " namespace " + config.namespace();
  }

  @Override
  public void close() {
    stubs.shutdown();
  }
}
