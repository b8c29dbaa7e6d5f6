package io.mmsearch.training;

import io.mmsearch.training.data.Augmentation;
import io.mmsearch.training.data.DatasetSplit.SplitBy;
import io.mmsearch.training.loop.TrainingConfig;
import io.mmsearch.training.model.ImageTowerKind;
import io.mmsearch.training.model.TextTowerKind;
import java.util.List;

/**
 * A small BiLSTM architecture and config that train in seconds on the synthetic shapes; one
 * libtorch thread keeps the suite's time steady when the machine is shared.
 */
public final class TrainingTestSupport {

  private TrainingTestSupport() {}

  public static TrainingConfig.Builder smallConfig() {
    return TrainingConfig.builder()
        .imageTower(ImageTowerKind.CNN)
        .imageTower(32, List.of(16, 32, 64))
        .textTower(TextTowerKind.BILSTM)
        .textTower(32, 48, 16)
        .embeddingDim(64)
        .batchSize(32)
        .epochs(10)
        .learningRate(3e-3f)
        .augmentation(Augmentation.defaults())
        .validation(0.25, SplitBy.ID)
        .torchThreads(1)
        .seed(7);
  }
}
