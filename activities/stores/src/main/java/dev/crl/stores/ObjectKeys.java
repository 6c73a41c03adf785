package dev.crl.stores;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Deterministic object keys derived from (run, iteration, shard).
 *
 * <p>Activities write to these keys so that a retried attempt overwrites what an earlier attempt
 * wrote instead of adding a second copy. Numbers are zero padded so that a lexicographic listing
 * is also a numeric ordering, e.g. {@code runs/room-1/iter-000012/rollouts/shard-003.jsonl.gz}.
 *
 * <p>{@link #validate(String)} is the single rule both object store implementations apply to
 * every key, so a key that works locally also works on S3 and the other way round.
 */
public final class ObjectKeys {

  /** Longest key S3 accepts, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  /** Prefix of the temporary files {@link LocalObjectStore} writes before its atomic move. */
  static final String TEMP_MARKER = ".crl-tmp-";

  private static final Pattern KEY_CHARS = Pattern.compile("[A-Za-z0-9._\\-/=+@,]+");
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,127}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,127}");

  private ObjectKeys() {}

  /**
   * Checks that a key is a portable relative path: non-empty, no leading or trailing slash, no
   * empty, "." or ".." segments, only characters that need no escaping on S3 or a file system.
   *
   * @return the key itself, for chaining
   * @throws IllegalArgumentException with the reason, when the key is not acceptable
   */
  public static String validate(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key must not be empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("object key longer than " + MAX_KEY_BYTES + " bytes: " + key);
    }
    if (!KEY_CHARS.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "object key may only contain letters, digits and . _ - / = + @ , (got '" + key + "')");
    }
    if (key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("object key must not start or end with '/': '" + key + "'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "object key has an empty, '.' or '..' segment: '" + key + "'");
      }
      if (segment.startsWith(TEMP_MARKER)) {
        throw new IllegalArgumentException(
            "object key segment must not start with " + TEMP_MARKER + ": '" + key + "'");
      }
    }
    return key;
  }

  /**
   * Checks a key prefix for {@link ObjectStore#list(String)}: empty (everything) or a string that
   * could begin a valid key (a trailing slash is allowed there).
   */
  public static String validatePrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix must not be null; use \"\" to list everything");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    String probe = prefix.endsWith("/") ? prefix + "x" : prefix;
    validate(probe);
    return prefix;
  }

  /** Keys of one training run; all of them live under {@code runs/<runId>/}. */
  public static RunKeys run(String runId) {
    return new RunKeys(checkName("run id", runId, RUN_ID));
  }

  static String checkName(String what, String value, Pattern pattern) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit: '" + value + "'");
    }
    return value;
  }

  /** The keys of one run. Immutable and cheap; build one wherever it is needed. */
  public static final class RunKeys {
    private final String runId;

    private RunKeys(String runId) {
      this.runId = runId;
    }

    public String runId() {
      return runId;
    }

    /** {@code runs/<run>/} — every object of the run starts with this. */
    public String prefix() {
      return "runs/" + runId + "/";
    }

    /** {@code runs/<run>/iter-000012/} — every object produced by one iteration. */
    public String iterationPrefix(long iteration) {
      return prefix() + "iter-" + pad(nonNegative("iteration", iteration), 6) + "/";
    }

    /** Compressed JSON lines of one rollout shard: {@code .../iter-000012/rollouts/shard-003.jsonl.gz}. */
    public String rolloutShard(long iteration, int shard) {
      return shardKey(iteration, "rollouts", shard, "jsonl.gz");
    }

    /** Distillation results of one shard: {@code .../iter-000012/distillation/shard-003.jsonl.gz}. */
    public String distillationShard(long iteration, int shard) {
      return shardKey(iteration, "distillation", shard, "jsonl.gz");
    }

    /**
     * Any per-shard artefact of an iteration: {@code .../iter-<n>/<kind>/shard-<s>.<extension>}.
     * The kind and extension are validated like run ids.
     */
    public String shardKey(long iteration, String kind, int shard, String extension) {
      checkName("artifact kind", kind, NAME);
      checkName("extension", extension, NAME);
      return iterationPrefix(iteration)
          + kind
          + "/shard-"
          + pad(nonNegative("shard", shard), 3)
          + "."
          + extension;
    }

    /** Directory-like prefix of one checkpoint: {@code runs/<run>/checkpoints/<model>/v-000012/}. */
    public String checkpointPrefix(String model, long version) {
      return prefix()
          + "checkpoints/"
          + checkName("model name", model, NAME)
          + "/v-"
          + pad(nonNegative("checkpoint version", version), 6)
          + "/";
    }

    /** Manifest of one checkpoint, written last so its presence means the checkpoint is whole. */
    public String checkpointManifest(String model, long version) {
      return checkpointPrefix(model, version) + "manifest.json";
    }

    /** Small pointer object naming the newest complete checkpoint of a model. */
    public String latestCheckpointPointer(String model) {
      return prefix() + "checkpoints/" + checkName("model name", model, NAME) + "/LATEST.json";
    }

    /** Experience-bank snapshot taken at an iteration: {@code .../bank/iter-000012/snapshot.jsonl.gz}. */
    public String bankSnapshot(long iteration) {
      return prefix() + "bank/iter-" + pad(nonNegative("iteration", iteration), 6) + "/snapshot.jsonl.gz";
    }

    /** Evaluation report of an iteration: {@code .../eval/iter-000012/<name>.json}. */
    public String evaluationReport(long iteration, String name) {
      return prefix()
          + "eval/iter-"
          + pad(nonNegative("iteration", iteration), 6)
          + "/"
          + checkName("report name", name, NAME)
          + ".json";
    }
  }

  private static long nonNegative(String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + value);
    }
    return value;
  }

  private static String pad(long value, int width) {
    return String.format(Locale.ROOT, "%0" + width + "d", value);
  }
}
