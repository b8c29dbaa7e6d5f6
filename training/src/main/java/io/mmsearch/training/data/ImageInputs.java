package io.mmsearch.training.data;

import io.mmsearch.encoders.image.ImagePreprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Turns the images of a dataset into what the image tower reads, once per run: pixels for the CNN
 * ({@link #pixels}), a frozen backbone's features of each view for an image head ({@link
 * #backboneFeatures}). An image that cannot be used gets its reason instead, never an exception.
 */
public interface ImageInputs {

  /** One image's input, or the reason it has none. */
  record Prepared(ImageData data, String problem) {
    static Prepared of(ImageData data) {
      return new Prepared(data, null);
    }

    static Prepared failed(String problem) {
      return new Prepared(null, problem);
    }
  }

  /**
   * The input of each image, in order.
   *
   * @throws IOException if a cache cannot be written (unusable images are results, not errors)
   */
  List<Prepared> prepare(List<Path> images) throws IOException;

  /** Pixels as the serving preprocessor makes them, decoded in parallel. */
  static ImageInputs pixels(ImagePreprocessor preprocessor) {
    return images -> {
      Prepared[] out = new Prepared[images.size()];
      IntStream.range(0, images.size())
          .parallel()
          .forEach(
              i -> {
                Path image = images.get(i);
                try {
                  byte[] bytes = ImageFiles.read(image);
                  out[i] =
                      Prepared.of(
                          new ImageData.Pixels(preprocessor.preprocess(bytes, image.toString())));
                } catch (ImageFiles.UnusableImageException e) {
                  out[i] = Prepared.failed(e.getMessage());
                } catch (RuntimeException e) {
                  out[i] = Prepared.failed("image not decodable: " + e.getMessage());
                }
              });
      return List.of(out);
    };
  }

  /**
   * A frozen backbone's features of {@code views} views per image through {@code cache}: view 0 as
   * preprocessed, views 1 and up augmented.
   *
   * @param augmentation the augmentation of views 1 and up
   * @param seed the run's seed (with the view number, the augmentation seed)
   */
  static ImageInputs backboneFeatures(
      ImageFeatureCache cache, int views, Augmentation augmentation, long seed) {
    return backboneFeatures(cache, views, augmentation, seed, null);
  }

  /**
   * Like {@link #backboneFeatures(ImageFeatureCache, int, Augmentation, long)}, keeping only the
   * features of {@code taps} (null: all).
   */
  static ImageInputs backboneFeatures(
      ImageFeatureCache cache, int views, Augmentation augmentation, long seed, TapSelection taps) {
    ImageAugmenter augmenter =
        new ImageAugmenter(augmentation, cache.source().preprocessor().spec());
    String augmentationKey = augmentation.toString();
    return images -> {
      List<Prepared> out = new ArrayList<>(images.size());
      for (ImageFeatureCache.Views v :
          cache.views(images, views, augmenter, augmentationKey, seed)) {
        if (!v.ok()) {
          out.add(Prepared.failed(v.problem()));
        } else {
          short[][] f = taps == null ? v.features() : taps.select(v.features());
          out.add(Prepared.of(new ImageData.Features(f)));
        }
      }
      return out;
    };
  }
}
