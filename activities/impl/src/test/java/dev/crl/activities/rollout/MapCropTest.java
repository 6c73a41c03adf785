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
    assertEquals("north:. northeast:> east:. southeast:- south:- southwest:- west:_ northwest:|", split.neighbours());
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
    String tail = " map: _ - - - _ <nl> _ | . > _ <nl> _ _ @ . _ <nl> _ - - - _ <nl> _ _ _ _ _"
        + " near: north:. northeast:> east:. southeast:- south:- southwest:- west:_ northwest:| answer:";
    assertTrue(a.endsWith(tail), a);
    assertTrue(b.endsWith(tail), b);
    assertEquals(java.util.Set.of("_", "-", "|", ".", ">", "@"), ActorPrompts.mapCells(a));
  }

  @Test
  void neighbourWordsAppearInTheObservationOnlyNeverInTheExperience() {
    String prompt = ActorPrompts.words(new Observation("reach >", TEXT, List.of("north", "east")),
        "<title>go east:></title><content>north: is not a neighbour word, nor is east:</content>");
    String experience = prompt.substring(0, prompt.indexOf(" goal: "));
    assertTrue(experience.contains("go east >"), experience);
    assertTrue(experience.contains("north: is"), experience);
    assertTrue(prompt.endsWith(" near: north:. northeast:> east:. southeast:- south:- southwest:- west:_ northwest:| answer:"), prompt);
  }

  @Test
  void theTinyVocabularyHoldsEveryNeighbourWordOfItsMaps() {
    var tokenizer = dev.crl.activities.training.TinyVocabulary.build(List.of("minihack-room"), 30).tokenizer();
    for (String direction : MapCrop.DIRECTIONS) {
      for (String cell : List.of(">", ".", "_", "|", "-")) {
        String word = MapCrop.neighbourWord(direction, cell);
        assertEquals(word, tokenizer.decode(tokenizer.encode(word)), word + " is not one known word");
      }
    }
  }
}
