package dev.crl.activities.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.environments.Observation;
import java.util.List;
import org.junit.jupiter.api.Test;

class MapCropTest {
  private static final String TEXT = "Message: It's a wall.\nMap:\n\n   ---\n   |.>\n    @.\n   ---\nLegend: @ you\nHP: 12(12)\n";

  @Test
  void theCropIsCentredOnTheAgentWithEveryCellAWord() {
    // The agent is on the map's fourth row; the row below the bottom wall lies outside the map.
    MapCrop.Split split = MapCrop.split(TEXT, 2, "<nl>").orElseThrow();
    assertEquals("_ - - - _ <nl> _ | . > _ <nl> _ _ @ . _ <nl> _ - - - _ <nl> _ _ _ _ _", split.crop());
    assertEquals("Message: It's a wall.\nHP: 12(12)\n", split.rest());
  }

  @Test
  void aTextWithoutAMapIsLeftAsItIs() {
    assertTrue(MapCrop.split("You are in the kitchen.\nYou see a fridge.", 2, "<nl>").isEmpty());
    assertTrue(MapCrop.split("Map:\n...\nLegend: none", 2, "<nl>").isEmpty(), "no agent, no crop");
  }

  @Test
  void theTinyPromptEndsWithTheCropSoItsCellsSitAtFixedDistancesFromTheAnswer() {
    String a = ActorPrompts.words(new Observation("reach >", TEXT, List.of("north", "east")), null);
    String b = ActorPrompts.words(new Observation("reach >", TEXT.replace("It's a wall.", ""), List.of("north", "east")), null);
    String tail = " map: _ - - - _ <nl> _ | . > _ <nl> _ _ @ . _ <nl> _ - - - _ <nl> _ _ _ _ _ answer:";
    assertTrue(a.endsWith(tail), a);
    assertTrue(b.endsWith(tail), b);
  }
}
