package dev.crl.stores;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.errors.XmlParserException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Set;
import javax.net.ssl.SSLException;

/** Maps MinIO client failures onto the retryable / non-retryable exception types. */
final class S3Errors {

  private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject");

  private static final Set<String> CONFIGURATION =
      Set.of(
          "AccessDenied",
          "AllAccessDisabled",
          "AccountProblem",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "InvalidToken",
          "ExpiredToken",
          "NoSuchBucket",
          "InvalidBucketName",
          "RequestTimeTooSkewed",
          "AuthorizationHeaderMalformed",
          "PermanentRedirect");

  private static final Set<String> TRANSIENT =
      Set.of("InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "OperationAborted");

  private S3Errors() {}

  static BackendException classify(String action, String key, S3StoreConfig config, Throwable error) {
    String where = " (" + action + " '" + key + "' at " + config.endpoint() + ", bucket " + config.bucket() + ")";
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BackendException backend) {
        return backend;
      }
      if (t instanceof ErrorResponseException response) {
        String code = response.errorResponse() == null ? "" : response.errorResponse().code();
        String message = response.errorResponse() == null ? "" : response.errorResponse().message();
        int status = response.response() == null ? 0 : response.response().code();
        if (NOT_FOUND.contains(code)) {
          return new ObjectNotFoundException(key, "s3://" + config.bucket() + "/" + config.prefix());
        }
        if (CONFIGURATION.contains(code) || status == 401 || status == 403) {
          return new BackendConfigurationException(
              "S3 refused the request: " + code + ": " + message + where
                  + ". Check the endpoint, credentials, region and bucket permissions.",
              error);
        }
        if (TRANSIENT.contains(code) || status >= 500 || status == 429) {
          return new BackendUnavailableException(
              "S3 is temporarily unavailable: " + code + " (HTTP " + status + ")" + where, error);
        }
        return new InvalidBackendRequestException(
            "S3 rejected the request: " + code + " (HTTP " + status + "): " + message + where, error);
      }
      if (t instanceof ServerException server) {
        if (server.statusCode() >= 500 || server.statusCode() == 429) {
          return new BackendUnavailableException(
              "S3 server error HTTP " + server.statusCode() + where, error);
        }
        return new BackendConfigurationException(
            "unexpected HTTP " + server.statusCode() + " from S3 endpoint" + where, error);
      }
      if (t instanceof InvalidResponseException || t instanceof XmlParserException) {
        return new BackendConfigurationException(
            "the endpoint did not answer like an S3 server" + where + ": " + t.getMessage(), error);
      }
      if (t instanceof SSLException) {
        return new BackendConfigurationException(
            "TLS handshake with the S3 endpoint failed (http vs https?)" + where + ": " + t.getMessage(),
            error);
      }
      if (t instanceof UnknownHostException) {
        // DNS can fail transiently inside clusters, so this stays retryable; the message names the host.
        return new BackendUnavailableException("cannot resolve S3 host" + where + ": " + t.getMessage(), error);
      }
      if (t instanceof IllegalArgumentException) {
        return new InvalidBackendRequestException("S3 client rejected the arguments" + where + ": " + t.getMessage(), error);
      }
      if (t instanceof IOException) {
        return new BackendUnavailableException(
            "cannot reach S3" + where + ": " + t.getClass().getSimpleName() + ": " + t.getMessage(), error);
      }
    }
    return new BackendUnavailableException(
        "S3 call failed" + where + ": " + error.getClass().getSimpleName() + ": " + error.getMessage(), error);
  }
}
