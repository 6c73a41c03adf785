package dev.crl.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.api.payload.HyperparameterChange;
import org.junit.jupiter.api.Test;

class HyperparameterChangesTest {
  private final AlgorithmSpec paper = AlgorithmSpec.defaults();

  @Test
  void acceptsAValidChangeAndLeavesTheRest() {
    AlgorithmSpec changed = HyperparameterChanges.apply(paper, new HyperparameterChange("actor_lr", "5e-6"));
    assertEquals(5e-6, changed.actorLr());
    assertEquals(paper.clipEps(), changed.clipEps());
  }

  @Test
  void acceptsANestedField() {
    AlgorithmSpec changed = HyperparameterChanges.apply(paper,
        new HyperparameterChange("actor_sampling.temperature", "0.7"));
    assertEquals(0.7, changed.actorSampling().temperature());
  }

  @Test
  void rejectsOutOfRangeValues() {
    SpecException e = assertThrows(SpecException.class,
        () -> HyperparameterChanges.apply(paper, new HyperparameterChange("clip_eps", "-1")));
    assertEquals("algorithm.clip_eps", e.problems().get(0).field());
  }

  @Test
  void rejectsUnknownFieldsAndWrongTypes() {
    SpecException unknown = assertThrows(SpecException.class,
        () -> HyperparameterChanges.apply(paper, new HyperparameterChange("learning_rate", "1")));
    assertTrue(unknown.getMessage().contains("actor_lr"), unknown.getMessage());
    assertThrows(SpecException.class,
        () -> HyperparameterChanges.apply(paper, new HyperparameterChange("group_size", "eight")));
  }
}
