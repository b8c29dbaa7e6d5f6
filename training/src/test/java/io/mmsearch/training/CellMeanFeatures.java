package io.mmsearch.training;

import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.training.data.ImageFeatureSource;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A unit-test double of a frozen image backbone: the mean of each channel over a {@code grid x
 * grid} layout of cells of the preprocessed tensor (so features follow the picture, and an
 * augmented view differs from the clean one). Counts the images it was asked for, so tests can tell
 * cache hits from recomputation. Integration tests use the real backbone.
 */
public final class CellMeanFeatures implements ImageFeatureSource {

  private final ImageInputSpec spec;
  private final int grid;
  private final int minimumSide;
  private final String key;
  private final AtomicInteger computed = new AtomicInteger();

  public CellMeanFeatures(int size, int grid, int minimumSide, String key) {
    ImageInputSpec d = ImageInputSpec.defaults();
    this.spec = new ImageInputSpec(size, 3, d.mean(), d.std(), d.resize(), d.background());
    this.grid = grid;
    this.minimumSide = minimumSide;
    this.key = key;
  }

  /** Images computed so far. */
  public int computed() {
    return computed.get();
  }

  @Override
  public String cacheKey() {
    return "cell-means/" + key + "/grid=" + grid + "/size=" + spec.size();
  }

  @Override
  public int dimension() {
    return 3 * grid * grid;
  }

  @Override
  public ImagePreprocessor preprocessor() {
    return new ImagePreprocessor(spec).withMinimumSide(minimumSide, "the test backbone");
  }

  @Override
  public float[] features(float[] pixels, int rows) {
    int s = spec.size();
    int cell = s / grid;
    float[] out = new float[rows * dimension()];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < 3; c++) {
        for (int gy = 0; gy < grid; gy++) {
          for (int gx = 0; gx < grid; gx++) {
            double sum = 0;
            for (int y = gy * cell; y < (gy + 1) * cell; y++) {
              for (int x = gx * cell; x < (gx + 1) * cell; x++) {
                sum += pixels[((r * 3 + c) * s + y) * s + x];
              }
            }
            out[r * dimension() + (c * grid + gy) * grid + gx] = (float) (sum / (cell * cell));
          }
        }
      }
    }
    computed.addAndGet(rows);
    return out;
  }
}
