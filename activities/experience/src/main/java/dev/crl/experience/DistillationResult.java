package dev.crl.experience;

import dev.crl.experience.extractor.RejectionReason;
import java.util.List;
import java.util.Optional;

/**
 * What became of one {@link DistillationRequest}.
 *
 * @param episodeId the request's episode
 * @param sample the prompt/response training sample; present only when the answer was accepted
 * @param applied the bank changes, in order (empty for {@code return} and for rejections)
 * @param rejection why the answer was rejected, when it was
 * @param detail human-readable detail
 */
public record DistillationResult(
    String episodeId,
    Optional<ExtractorSample> sample,
    List<AppliedOperation> applied,
    Optional<RejectionReason> rejection,
    String detail) {

  public DistillationResult {
    applied = List.copyOf(applied);
  }

  /** True when the answer was accepted and applied. */
  public boolean accepted() {
    return rejection.isEmpty();
  }
}
