package dev.crl.learning.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Text to token ids and back, plus the special ids generation and training need. */
public interface Tokenizer {

  /** Encodes text without adding any special tokens. */
  int[] encode(String text);

  /** Decodes ids, dropping special tokens such as padding and end-of-sequence. */
  String decode(int[] ids);

  int vocabSize();

  /** Id that ends a generation. */
  int eosId();

  /** Id used for padding; never attended to and never trained on. */
  int padId();

  /**
   * True when decoded tokens are joined with a space (word-level vocabularies); false when each
   * token's text already carries its own spacing (byte-level BPE).
   */
  default boolean joinsWithSpace() {
    return false;
  }

  /** The model's own Jinja chat template, when it ships one. */
  default Optional<ChatTemplate> chatTemplate() {
    return Optional.empty();
  }

  /** Writes {@code tokenizer.json} (and any companion files) into a checkpoint directory. */
  void save(Path dir) throws IOException;
}
