package dev.crl.experience;

import java.time.Clock;

/**
 * Settings of the experience manager. Defaults are the paper's (§5); the released code's values
 * are noted where they differ. Built with {@link #builder()}; every value is optional.
 */
public final class ExperienceManagerConfig {

  final int capacity;
  final int defaultTopK;
  final double diversityLambda;
  final long recencyWindowMillis;
  final int oversampling;
  final double recentTopDemotionProbability;
  final long trainingCooldownSteps;
  final double trainingCountAlpha;
  final int batchSize;
  final long batchWaitMicros;
  final int searchWorkers;
  final boolean backgroundLessonEmbedding;
  final int maxOperations;
  final int maxLessonChars;
  final int lessonsShown;
  final int maxDistillationBatch;
  final int mergeChunk;
  final int mergeWindowsPerPass;
  final int mergeEveryActorUpdates;
  final long seed;
  final Clock clock;

  private ExperienceManagerConfig(Builder b) {
    this.capacity = b.capacity;
    this.defaultTopK = b.defaultTopK;
    this.diversityLambda = b.diversityLambda;
    this.recencyWindowMillis = b.recencyWindowMillis;
    this.oversampling = b.oversampling;
    this.recentTopDemotionProbability = b.recentTopDemotionProbability;
    this.trainingCooldownSteps = b.trainingCooldownSteps;
    this.trainingCountAlpha = b.trainingCountAlpha;
    this.batchSize = b.batchSize;
    this.batchWaitMicros = b.batchWaitMicros;
    this.searchWorkers = b.searchWorkers;
    this.backgroundLessonEmbedding = b.backgroundLessonEmbedding;
    this.maxOperations = b.maxOperations;
    this.maxLessonChars = b.maxLessonChars;
    this.lessonsShown = b.lessonsShown;
    this.maxDistillationBatch = b.maxDistillationBatch;
    this.mergeChunk = b.mergeChunk;
    this.mergeWindowsPerPass = b.mergeWindowsPerPass;
    this.mergeEveryActorUpdates = b.mergeEveryActorUpdates;
    this.seed = b.seed;
    this.clock = b.clock;
  }

  /** A builder holding the paper's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The paper's defaults. */
  public static ExperienceManagerConfig defaults() {
    return builder().build();
  }

  /** True when a merge pass is due after actor update number {@code actorUpdate} (1-based). */
  public boolean mergeDue(long actorUpdate) {
    return actorUpdate > 0 && actorUpdate % mergeEveryActorUpdates == 0;
  }

  /** Default number of entries in one merge window. */
  public int mergeChunk() {
    return mergeChunk;
  }

  /** Most merge windows per pass. */
  public int mergeWindowsPerPass() {
    return mergeWindowsPerPass;
  }

  /** FIFO capacity of the bank. */
  public int capacity() {
    return capacity;
  }

  /** Builder for {@link ExperienceManagerConfig}. */
  public static final class Builder {
    private int capacity = 20_000;
    private int defaultTopK = 1;
    private double diversityLambda = 0.4;
    private long recencyWindowMillis = 300_000;
    private int oversampling = 16;
    private double recentTopDemotionProbability = 0.5;
    private long trainingCooldownSteps = 1;
    private double trainingCountAlpha = 0.5;
    private int batchSize = 16;
    private long batchWaitMicros = 1_000;
    private int searchWorkers = 4;
    private boolean backgroundLessonEmbedding;
    private int maxOperations = 3;
    private int maxLessonChars = 4_000;
    private int lessonsShown = 3;
    private int maxDistillationBatch = 64;
    private int mergeChunk = 5;
    private int mergeWindowsPerPass = 200;
    private int mergeEveryActorUpdates = 5;
    private long seed = 17;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** FIFO cap on entries (default 20,000, as in the released code). */
    public Builder optCapacity(int value) {
      capacity = positive(value, "capacity");
      return this;
    }

    /** Entries returned per query when the query does not say (default 1). */
    public Builder optDefaultTopK(int value) {
      defaultTopK = positive(value, "defaultTopK");
      return this;
    }

    /** λ of Eq. 6, the weight of the retrieval-count penalty (default 0.4). */
    public Builder optDiversityLambda(double value) {
      if (!(value >= 0)) {
        throw new IllegalArgumentException("diversityLambda must be non-negative");
      }
      diversityLambda = value;
      return this;
    }

    /** Window in which a retrieval counts as recent (default 300 s). */
    public Builder optRecencyWindowMillis(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("recencyWindowMillis must be non-negative");
      }
      recencyWindowMillis = value;
      return this;
    }

    /** Candidates fetched per requested entry before re-ranking (default 16). */
    public Builder optOversampling(int value) {
      oversampling = positive(value, "oversampling");
      return this;
    }

    /** Probability that a recently retrieved top-1 is demoted (default 0.5). */
    public Builder optRecentTopDemotionProbability(double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("recentTopDemotionProbability must be in [0, 1]");
      }
      recentTopDemotionProbability = value;
      return this;
    }

    /** δ of Eq. 7: an entry trained on within this many extractor steps gets weight 0 (default 1). */
    public Builder optTrainingCooldownSteps(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("trainingCooldownSteps must be non-negative");
      }
      trainingCooldownSteps = value;
      return this;
    }

    /** α of Eq. 7 (default 0.5). */
    public Builder optTrainingCountAlpha(double value) {
      if (!(value >= 0)) {
        throw new IllegalArgumentException("trainingCountAlpha must be non-negative");
      }
      trainingCountAlpha = value;
      return this;
    }

    /** Queries per retrieval micro-batch, B (default 16; the released code uses 32). */
    public Builder optBatchSize(int value) {
      batchSize = positive(value, "batchSize");
      return this;
    }

    /** Longest wait to fill a micro-batch, t_max, in microseconds (default 1,000; code: 5,000). */
    public Builder optBatchWaitMicros(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("batchWaitMicros must be non-negative");
      }
      batchWaitMicros = value;
      return this;
    }

    /** Parallel search workers, W (default 4). */
    public Builder optSearchWorkers(int value) {
      searchWorkers = positive(value, "searchWorkers");
      return this;
    }

    /**
     * Embeds new lessons on a thread at idle priority (a {@code BackgroundEmbedder}), so that the
     * embedding model yields the cores to retrieval; default false. Shortens the retrieval tail
     * while the extractor writes, but slows distillation when other work saturates the cores.
     */
    public Builder optBackgroundLessonEmbedding(boolean value) {
      backgroundLessonEmbedding = value;
      return this;
    }

    /** Operations allowed per extractor answer (default 3). */
    public Builder optMaxOperations(int value) {
      maxOperations = positive(value, "maxOperations");
      return this;
    }

    /** Longest accepted lesson, title plus content, in characters (default 4,000). */
    public Builder optMaxLessonChars(int value) {
      maxLessonChars = positive(value, "maxLessonChars");
      return this;
    }

    /** Nearest existing lessons shown to the extractor next to the ones the episode used (default 3). */
    public Builder optLessonsShown(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("lessonsShown must be non-negative");
      }
      lessonsShown = value;
      return this;
    }

    /** Requests sent to the extractor in one batched call (default 64). */
    public Builder optMaxDistillationBatch(int value) {
      maxDistillationBatch = positive(value, "maxDistillationBatch");
      return this;
    }

    /** Entries per merge window (default 5). */
    public Builder optMergeChunk(int value) {
      if (value < 2) {
        throw new IllegalArgumentException("mergeChunk must be at least 2");
      }
      mergeChunk = value;
      return this;
    }

    /**
     * Most windows one merge pass sends to the extractor (default 200, i.e. 1,000 entries at the
     * default chunk). The paper's pass covers the whole bank; here each extractor call is a
     * sequential generation, so a whole pass over a bank of thousands of entries would outlast
     * the interval between merges. A bounded pass continues where the previous one stopped, so
     * successive passes still sweep the whole bank.
     */
    public Builder optMergeWindowsPerPass(int value) {
      mergeWindowsPerPass = positive(value, "mergeWindowsPerPass");
      return this;
    }

    /** Merge every this many actor updates (default 5). */
    public Builder optMergeEveryActorUpdates(int value) {
      mergeEveryActorUpdates = positive(value, "mergeEveryActorUpdates");
      return this;
    }

    /** Seed of the demotion coin, so runs and tests are repeatable. */
    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    /** Clock for recency and provenance timestamps (tests move it by hand). */
    public Builder optClock(Clock value) {
      clock = java.util.Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The configuration. */
    public ExperienceManagerConfig build() {
      return new ExperienceManagerConfig(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
