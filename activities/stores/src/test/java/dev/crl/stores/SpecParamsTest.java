package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecParamsTest {

  record Optimizer(String name, double lr) {}

  record Spec(String preset, List<String> tasks, Optimizer actor, Map<String, Integer> budgets, String note) {}

  @Test
  void recordsFlattenToDottedKeysWithListIndices() {
    Spec spec = new Spec("room-tiny", List.of("minihack-room", "mix[3]"), new Optimizer("adamw", 3e-4), Map.of("stage 1", 50), null);
    Map<String, String> params = SpecParams.flatten(spec);
    assertEquals(
        Map.of(
            "preset", "room-tiny",
            "tasks.0", "minihack-room",
            "tasks.1", "mix[3]",
            "actor.name", "adamw",
            "actor.lr", "3.0E-4",
            "budgets.stage 1", "50",
            "note", "null"),
        params);
  }

  @Test
  void keyCharactersMlflowRefusesAreReplaced() {
    assertEquals(Map.of("a_b.c_d", "1"), SpecParams.flatten(Map.of("a|b", Map.of("c=d", 1))));
    assertEquals(Map.of("empty", "[]", "nothing", "{}"), SpecParams.flatten(Map.of("empty", List.of(), "nothing", Map.of())));
  }
}
