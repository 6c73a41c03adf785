package dev.crl.learning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest that makes a checkpoint directory self-describing and verifiable: format, step,
 * the model weights' hash and the sha256 of every file. It is written last, so a directory without
 * one is an interrupted save.
 */
public final class Checkpoint {
  public static final String MANIFEST = "manifest.json";
  public static final String FORMAT = "crl-checkpoint/1";
  public static final String MODEL_FILE = "model.safetensors";
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a verified manifest says. */
  public record Manifest(long step, String modelSha256, Map<String, String> files) {}

  private Checkpoint() {}

  /** Hashes the listed files and writes the manifest. */
  static Manifest writeManifest(Path dir, long step, List<String> files) throws IOException {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String f : files) {
      hashes.put(f, sha256(dir.resolve(f)));
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("step", step);
    root.put("model_sha256", hashes.get(MODEL_FILE));
    ObjectNode fs = root.putObject("files");
    hashes.forEach(fs::put);
    Path tmp = dir.resolve(MANIFEST + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, dir.resolve(MANIFEST), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return new Manifest(step, hashes.get(MODEL_FILE), hashes);
  }

  /**
   * Reads the manifest and re-hashes every file it lists.
   *
   * @throws IOException naming the first missing or corrupted file
   */
  public static Manifest verify(Path dir) throws IOException {
    Path file = dir.resolve(MANIFEST);
    if (!Files.exists(file)) {
      throw new IOException("no " + MANIFEST + " in " + dir + ": not a crl checkpoint, or its save was interrupted");
    }
    JsonNode root = JSON.readTree(file.toFile());
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IOException("checkpoint " + dir + " has format '" + root.path("format").asText() + "', expected " + FORMAT);
    }
    Map<String, String> files = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().contains("/") || e.getKey().contains("..")) {
        throw new IOException("checkpoint manifest lists a path outside its directory: " + e.getKey());
      }
      Path f = dir.resolve(e.getKey());
      if (!Files.exists(f)) {
        throw new IOException("checkpoint " + dir + " is missing " + e.getKey());
      }
      String actual = sha256(f);
      if (!actual.equals(e.getValue().asText())) {
        throw new IOException("checkpoint " + dir + " is corrupted: sha256 of " + e.getKey() + " is " + actual
            + " but the manifest says " + e.getValue().asText());
      }
      files.put(e.getKey(), actual);
    }
    String model = root.path("model_sha256").asText();
    if (!model.equals(files.get(MODEL_FILE))) {
      throw new IOException("checkpoint " + dir + " manifest's model hash does not match its " + MODEL_FILE);
    }
    return new Manifest(root.path("step").asLong(), model, files);
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
