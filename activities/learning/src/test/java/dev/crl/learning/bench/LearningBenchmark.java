package dev.crl.learning.bench;

import dev.crl.learning.PolicyModel;
import dev.crl.learning.rl.OptimizerConfig;
import dev.crl.learning.rl.RlSample;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.Generator;
import dev.crl.learning.sampling.SamplingParams;
import dev.crl.learning.tokenizer.ChatTemplate;
import dev.crl.learning.tokenizer.Tokenizer;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Sampling and training throughput of our decoder, to compare with tools/bench_transformers.py on
 * the same model, batch and lengths. Prints wall-clock and this thread's CPU time, because the
 * shared 2-core machine makes wall-clock numbers noisy; with one intra-op thread PyTorch runs
 * every kernel on the calling thread, so CPU time is the steadier figure.
 *
 * <p>Run: {@code java -Dai.djl.offline=true -Dcrl.torch.threads=1 -cp <test classpath>
 * dev.crl.learning.bench.LearningBenchmark tiny|smollm2 [model.gguf]}
 */
public final class LearningBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws IOException {
    String which = args.length > 0 ? args[0] : "tiny";
    if (which.equals("tiny")) {
      List<String> words = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        words.add("w" + i);
      }
      WordTokenizer tok = WordTokenizer.of(words);
      try (PolicyModel model = PolicyModel.createTiny("tiny", tok, 1)) {
        run(model, "tiny (2 layers, d=128, vocab 1003)", 16, 32, 64, 5);
      }
    } else {
      try (PolicyModel model = PolicyModel.loadPretrained(Path.of(args[1]))) {
        run(model, "SmolLM2-135M (GGUF Q4_1 dequantised to fp32)", 16, 32, 8, 2);
      }
    }
  }

  private static void run(PolicyModel model, String name, int promptLen, int newTokens, int trainLen, int reps) {
    Random random = new Random(1);
    Tokenizer neverStops = new NoEosTokenizer(model.tokenizer());
    Generator generator = new Generator(model.decoder(), neverStops);
    System.out.printf("model %s, %d parameters, torch threads %s%n", name, model.decoder().parameterCount(),
        System.getProperty("crl.torch.threads", "default"));
    for (int batch : new int[] {1, 32}) {
      List<int[]> prompts = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        int[] p = new int[promptLen];
        for (int j = 0; j < promptLen; j++) {
          p[j] = 3 + random.nextInt(model.config().vocabSize() - 3);
        }
        prompts.add(p);
      }
      List<SamplingParams> params = Collections.nCopies(batch, SamplingParams.sample(newTokens, 1.0));
      generator.generate(prompts, params, 0);
      double bestWall = Double.MAX_VALUE;
      double bestCpu = Double.MAX_VALUE;
      long tokens = 0;
      for (int r = 0; r < reps; r++) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        List<Generation> out = generator.generate(prompts, params, r);
        bestWall = Math.min(bestWall, (System.nanoTime() - wall) / 1e9);
        bestCpu = Math.min(bestCpu, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9);
        tokens = out.stream().mapToLong(g -> g.tokens().length).sum();
      }
      System.out.printf("sample batch %d, prompt %d, new %d: %.0f tok/s wall, %.0f tok/s per CPU-second%n",
          batch, promptLen, newTokens, tokens / bestWall, tokens / bestCpu);
    }
    int trainBatch = 16;
    try (RlTrainer trainer = new RlTrainer(model, OptimizerConfig.builder().setLearningRate(1e-5).build())) {
      List<RlSample> samples = new ArrayList<>();
      for (int i = 0; i < trainBatch; i++) {
        int[] ids = new int[trainLen];
        boolean[] mask = new boolean[trainLen];
        for (int j = 0; j < trainLen; j++) {
          ids[j] = 3 + random.nextInt(model.config().vocabSize() - 3);
          mask[j] = j > 0;
        }
        samples.add(RlSample.of(ids, mask, null, 0));
      }
      trainer.sftStep(samples);
      double bestWall = Double.MAX_VALUE;
      double bestCpu = Double.MAX_VALUE;
      for (int r = 0; r < reps; r++) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        trainer.sftStep(samples);
        bestWall = Math.min(bestWall, (System.nanoTime() - wall) / 1e9);
        bestCpu = Math.min(bestCpu, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9);
      }
      long tokens = (long) trainBatch * trainLen;
      System.out.printf("train batch %d x %d tokens (forward+backward+AdamW): %.0f tok/s wall, %.0f tok/s per CPU-second%n",
          trainBatch, trainLen, tokens / bestWall, tokens / bestCpu);
    }
  }

  /** Delegates everything but end-of-sequence, so every row generates the full length. */
  private record NoEosTokenizer(Tokenizer delegate) implements Tokenizer {
    @Override
    public int[] encode(String text) {
      return delegate.encode(text);
    }

    @Override
    public String decode(int[] ids) {
      return delegate.decode(ids);
    }

    @Override
    public int vocabSize() {
      return delegate.vocabSize();
    }

    @Override
    public int eosId() {
      return -1;
    }

    @Override
    public int padId() {
      return delegate.padId();
    }

    @Override
    public java.util.Optional<ChatTemplate> chatTemplate() {
      return delegate.chatTemplate();
    }

    @Override
    public void save(Path dir) throws IOException {
      delegate.save(dir);
    }
  }
}
