package io.mmsearch.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.training.data.DatasetSplit.SplitBy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DatasetSplitTest {

  static List<TrainingExample> examples() {
    List<TrainingExample> list = new ArrayList<>();
    for (int concept = 0; concept < 200; concept++) {
      for (int copy = 0; copy < 2; copy++) {
        list.add(
            new TrainingExample(
                "item-" + concept + "-" + copy,
                Path.of("x.png"),
                List.of("caption " + concept),
                "concept-" + concept));
      }
    }
    return list;
  }

  @Test
  void theSameSeedGivesTheSameSplitWhateverTheOrder() {
    List<TrainingExample> shuffled = new ArrayList<>(examples());
    Collections.shuffle(shuffled, new java.util.Random(3));
    Set<String> a = ids(DatasetSplit.of(examples(), 0.2, SplitBy.ID, 5).validation());
    Set<String> b = ids(DatasetSplit.of(shuffled, 0.2, SplitBy.ID, 5).validation());
    assertEquals(a, b);
    double share = a.size() / 400.0;
    assertTrue(share > 0.12 && share < 0.28, "validation share " + share);
  }

  @Test
  void anotherSeedGivesAnotherSplit() {
    assertTrue(
        !ids(DatasetSplit.of(examples(), 0.2, SplitBy.ID, 5).validation())
            .equals(ids(DatasetSplit.of(examples(), 0.2, SplitBy.ID, 6).validation())));
  }

  @Test
  void splittingByConceptNeverPutsAConceptOnBothSides() {
    DatasetSplit split = DatasetSplit.of(examples(), 0.3, SplitBy.CONCEPT, 1);
    Set<String> train =
        split.train().stream().map(TrainingExample::concept).collect(Collectors.toSet());
    Set<String> validation =
        split.validation().stream().map(TrainingExample::concept).collect(Collectors.toSet());
    assertTrue(Collections.disjoint(train, validation));
    assertEquals(400, split.train().size() + split.validation().size());
  }

  static Set<String> ids(List<TrainingExample> list) {
    return list.stream().map(TrainingExample::id).collect(Collectors.toSet());
  }
}
