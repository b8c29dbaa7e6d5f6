package io.mmsearch.encoders.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.image.ImageInputSpec.ResizePolicy;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Resizing, cropping, padding and normalisation produce the tensor the spec describes. */
class ImagePreprocessorTensorTest {
  private static final int SIZE = 16;
  private static final int WHITE = 0xFFFFFF;

  /** Mean 0 and std 1/255 make tensor values equal to the 0..255 pixel values. */
  private static ImageInputSpec pixelValued(ResizePolicy policy, int background) {
    float s = 1f / 255f;
    return new ImageInputSpec(
        SIZE, 3, new float[] {0, 0, 0}, new float[] {s, s, s}, policy, background);
  }

  @ParameterizedTest
  @EnumSource(ResizePolicy.class)
  void uniformColourKeepsItsValueWhateverTheResize(ResizePolicy policy) {
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(pixelValued(policy, 10 << 16 | 200 << 8 | 77));
    for (int[] dims : new int[][] {{300, 200}, {7, 11}, {16, 16}, {1000, 3}}) {
      BufferedImage image =
          TestImages.filled(dims[0], dims[1], BufferedImage.TYPE_INT_RGB, new Color(10, 200, 77));

      float[] tensor = preprocessor.toTensor(image);

      assertEquals(3 * SIZE * SIZE, tensor.length);
      String where = policy + " " + dims[0] + "x" + dims[1];
      assertPlane(tensor, 0, 10f, 1e-3f, where);
      assertPlane(tensor, 1, 200f, 1e-3f, where);
      assertPlane(tensor, 2, 77f, 1e-3f, where);
    }
  }

  @Test
  void randomShapesAndColoursKeepTheirColour() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int trial = 0; trial < 40; trial++) {
      ResizePolicy policy = ResizePolicy.values()[random.nextInt(ResizePolicy.values().length)];
      // Mostly ordinary sizes, sometimes 1-pixel lines and extreme strips.
      int w = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1 + random.nextInt(700);
      int h = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1 + random.nextInt(700);
      Color colour = new Color(random.nextInt(0x1000000));
      ImagePreprocessor preprocessor =
          new ImagePreprocessor(pixelValued(policy, colour.getRGB() & 0xFFFFFF));

      float[] tensor =
          preprocessor.toTensor(TestImages.filled(w, h, BufferedImage.TYPE_INT_RGB, colour));

      String where = "seed " + seed + " trial " + trial + " " + policy + " " + w + "x" + h;
      assertPlane(tensor, 0, colour.getRed(), 1e-3f, where);
      assertPlane(tensor, 1, colour.getGreen(), 1e-3f, where);
      assertPlane(tensor, 2, colour.getBlue(), 1e-3f, where);
    }
  }

  @Test
  void extremeStripWithinThePixelBudgetIsPreprocessed() {
    // 1 x 200,000: scaling the short side to 64 makes the long side 12.8 million pixels.
    BufferedImage strip = TestImages.filled(1, 200_000, BufferedImage.TYPE_INT_RGB, Color.GRAY);

    float[] tensor =
        new ImagePreprocessor(pixelValued(ResizePolicy.RESIZE_SHORTER_CENTER_CROP, WHITE))
            .toTensor(strip);

    assertPlane(tensor, 0, 128f, 1e-3f, "strip");
  }

  @Test
  void normalisationSubtractsMeanAndDividesByStdPerChannel() {
    ImageInputSpec spec =
        new ImageInputSpec(
            SIZE,
            3,
            new float[] {0.5f, 0.25f, 0f},
            new float[] {0.5f, 0.25f, 2f},
            ResizePolicy.RESIZE_SHORTER_CENTER_CROP,
            WHITE);
    BufferedImage image =
        TestImages.filled(SIZE, SIZE, BufferedImage.TYPE_INT_RGB, new Color(255, 51, 102));

    float[] tensor = new ImagePreprocessor(spec).toTensor(image);

    assertPlane(tensor, 0, (1.0f - 0.5f) / 0.5f, 1e-6f, "red"); // 1.0
    assertPlane(tensor, 1, (0.2f - 0.25f) / 0.25f, 1e-6f, "green"); // -0.2
    assertPlane(tensor, 2, (0.4f - 0f) / 2f, 1e-6f, "blue"); // 0.2
  }

  @Test
  void downscalingAveragesDetailInsteadOfSamplingIt() {
    // A one-pixel checkerboard: nearest-neighbour sampling would give pure black or white.
    BufferedImage checker = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 256; y++) {
      for (int x = 0; x < 256; x++) {
        checker.setRGB(x, y, ((x + y) & 1) == 0 ? 0xFFFFFF : 0x000000);
      }
    }

    float[] tensor =
        new ImagePreprocessor(pixelValued(ResizePolicy.STRETCH, WHITE)).toTensor(checker);

    for (float v : tensor) {
      assertEquals(127.5f, v, 2f);
    }
  }

  @Test
  void centreCropKeepsTheMiddleOfAWideImage() {
    BufferedImage bands = threeVerticalBands(300, 100, 0xFF0000, 0x00FF00, 0x0000FF);

    float[] tensor =
        new ImagePreprocessor(pixelValued(ResizePolicy.RESIZE_SHORTER_CENTER_CROP, WHITE))
            .toTensor(bands);

    // The shorter side becomes 16, the width 48, and the middle 16 columns are the green band.
    // The outermost columns feel the filter reaching into the neighbouring bands.
    for (int y = 0; y < SIZE; y++) {
      for (int x = 3; x < SIZE - 3; x++) {
        assertPixel(tensor, x, y, 0, 255, 0, 1f);
      }
    }
  }

  @Test
  void padPolicyLetterboxesWithTheBackground() {
    BufferedImage red = TestImages.filled(200, 100, BufferedImage.TYPE_INT_RGB, Color.RED);

    float[] tensor =
        new ImagePreprocessor(pixelValued(ResizePolicy.RESIZE_LONGER_PAD, 0x0000FF)).toTensor(red);

    // 200x100 becomes 16x8, centred vertically: rows 4..11 red, the rest background blue.
    for (int y = 0; y < SIZE; y++) {
      boolean content = y >= 4 && y < 12;
      for (int x = 0; x < SIZE; x++) {
        if (content) {
          assertPixel(tensor, x, y, 255, 0, 0, 1e-3f);
        } else {
          assertPixel(tensor, x, y, 0, 0, 255, 1e-3f);
        }
      }
    }
  }

  @Test
  void stretchIgnoresTheAspectRatio() {
    BufferedImage bands = threeVerticalBands(300, 30, 0xFF0000, 0x00FF00, 0x0000FF);

    float[] tensor =
        new ImagePreprocessor(pixelValued(ResizePolicy.STRETCH, WHITE)).toTensor(bands);

    assertPixel(tensor, 1, 8, 255, 0, 0, 1f);
    assertPixel(tensor, 8, 8, 0, 255, 0, 1f);
    assertPixel(tensor, 14, 8, 0, 0, 255, 1f);
  }

  @Test
  void toTensorCompositesImagesThatStillHaveAlpha() {
    BufferedImage clear =
        TestImages.filled(8, 8, BufferedImage.TYPE_INT_ARGB, new Color(255, 0, 0, 0));

    float[] tensor =
        new ImagePreprocessor(pixelValued(ResizePolicy.STRETCH, 0x00FF00)).toTensor(clear);

    assertPixel(tensor, 5, 5, 0, 255, 0, 1e-3f);
  }

  @Test
  void toTensorConvertsOtherColourSpacesToSrgb() {
    // Linear-light mid grey is sRGB 188: the colour-managed path must not copy values verbatim.
    java.awt.image.ComponentColorModel linear =
        new java.awt.image.ComponentColorModel(
            java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB),
            false,
            false,
            java.awt.Transparency.OPAQUE,
            java.awt.image.DataBuffer.TYPE_BYTE);
    java.awt.image.WritableRaster raster = linear.createCompatibleWritableRaster(8, 8);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        raster.setPixel(x, y, new int[] {128, 128, 128});
      }
    }

    float[] tensor =
        new ImagePreprocessor(pixelValued(ResizePolicy.STRETCH, WHITE))
            .toTensor(new BufferedImage(linear, raster, false, null));

    assertPixel(tensor, 4, 4, 188, 188, 188, 2f);
  }

  @Test
  void identicalBytesGiveBitIdenticalTensors() throws Exception {
    byte[] jpeg = TestImages.encode(TestImages.noise(333, 217, 5), "jpeg");
    ImagePreprocessor preprocessor = new ImagePreprocessor(ImageInputSpec.defaults());
    float[] first = preprocessor.preprocess(jpeg, "a.jpg");

    assertArrayEquals(first, preprocessor.preprocess(jpeg.clone(), "b.jpg"));
    assertArrayEquals(
        first, new ImagePreprocessor(ImageInputSpec.defaults()).preprocess(jpeg, "c.jpg"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> preprocessor.preprocess(jpeg, "d.jpg")));
      }
      for (Future<float[]> result : results) {
        assertArrayEquals(first, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void preprocessIntoWritesOnlyItsOwnSlot() {
    ImagePreprocessor preprocessor = new ImagePreprocessor(ImageInputSpec.defaults());
    byte[] png = TestImages.encode(TestImages.noise(80, 60, 6), "png");
    int length = preprocessor.tensorLength();
    float[] buffer = new float[3 * length];
    Arrays.fill(buffer, Float.NaN);

    preprocessor.preprocessInto(png, "x.png", buffer, 1);

    assertArrayEquals(
        preprocessor.preprocess(png, "x.png"), Arrays.copyOfRange(buffer, length, 2 * length));
    assertTrue(Float.isNaN(buffer[length - 1]) && Float.isNaN(buffer[2 * length]));
  }

  @Test
  void preprocessIntoLeavesTheBufferUntouchedWhenTheImageIsBad() {
    ImagePreprocessor preprocessor = new ImagePreprocessor(ImageInputSpec.defaults());
    float[] buffer = new float[2 * preprocessor.tensorLength()];
    Arrays.fill(buffer, 42f);

    assertThrows(
        ImageDecodingException.class,
        () -> preprocessor.preprocessInto(new byte[0], "x.png", buffer, 1));

    for (float v : buffer) {
      assertEquals(42f, v);
    }
  }

  @Test
  void preprocessIntoRejectsASlotOutsideTheBuffer() {
    ImagePreprocessor preprocessor = new ImagePreprocessor(ImageInputSpec.defaults());
    byte[] png = TestImages.encode(TestImages.noise(8, 8, 7), "png");
    float[] buffer = new float[2 * preprocessor.tensorLength()];

    assertThrows(
        IndexOutOfBoundsException.class, () -> preprocessor.preprocessInto(png, "x", buffer, 2));
  }

  private static BufferedImage threeVerticalBands(int w, int h, int left, int middle, int right) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, x < w / 3 ? left : x < 2 * w / 3 ? middle : right);
      }
    }
    return image;
  }

  private static void assertPlane(
      float[] tensor, int channel, float expected, float tol, String what) {
    for (int i = 0; i < SIZE * SIZE; i++) {
      assertEquals(expected, tensor[channel * SIZE * SIZE + i], tol, what + " channel " + channel);
    }
  }

  private static void assertPixel(float[] t, int x, int y, int r, int g, int b, float tol) {
    int i = y * SIZE + x;
    String where = "pixel (" + x + ", " + y + ")";
    assertEquals(r, t[i], tol, where + " red");
    assertEquals(g, t[SIZE * SIZE + i], tol, where + " green");
    assertEquals(b, t[2 * SIZE * SIZE + i], tol, where + " blue");
  }
}
