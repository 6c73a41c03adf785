package dev.crl.learning.weights;

import ai.djl.ndarray.NDManager;
import dev.crl.learning.model.Decoder;
import dev.crl.learning.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;

public final class GgufModelLoader {
  public record Loaded(Decoder decoder, Tokenizer tokenizer) {}

  private GgufModelLoader() {}

  public static Loaded load(Path file, NDManager manager) throws IOException {
    throw new IOException("GGUF loading is not implemented yet");
  }
}
