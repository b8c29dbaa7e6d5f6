package io.mmsearch.backbones;

/**
 * The parity fixture's input images, made by integer arithmetic so that Java and the Node script
 * that computed the fixture ({@code src/test/node/tfjs-reference.cjs}) produce the same bits: a
 * gradient per channel plus 8x8-pixel blocks of hashed noise, scaled to [-1, 1].
 */
final class SyntheticImages {
  private SyntheticImages() {}

  /**
   * Pixel value 0..255 of image {@code n} at row {@code y}, column {@code x}, channel {@code c}.
   */
  static int pixel(int n, int y, int x, int c) {
    int noise = mix(n * 131 + (y >> 3) * 8191 + (x >> 3) * 127 + c * 524287) & 63;
    return (x * 5 + y * 3 + c * 85 + n * 50 + noise) & 255;
  }

  /** The images {@code numbers} as one NCHW float32 batch of {@code size x size}. */
  static float[] batch(int[] numbers, int size) {
    float[] out = new float[numbers.length * 3 * size * size];
    int i = 0;
    for (int n : numbers) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            out[i++] = (float) (pixel(n, y, x, c) / 127.5 - 1);
          }
        }
      }
    }
    return out;
  }

  private static int mix(int v) {
    v ^= v >>> 16;
    v *= 0x7feb352d;
    v ^= v >>> 15;
    v *= 0x846ca68b;
    v ^= v >>> 16;
    return v;
  }
}
