package io.mmsearch.encoders.image;

import java.awt.image.BufferedImage;

/**
 * Resizes, crops or pads an sRGB image to the spec's square and writes it, normalised, as CHW
 * floats. Stateless apart from the spec; thread-safe.
 */
final class TensorWriter {
  private final int size;
  private final ImageInputSpec.ResizePolicy policy;
  private final float[] scale = new float[3];
  private final float[] shift = new float[3];
  private final float[] backgroundValue = new float[3];

  TensorWriter(ImageInputSpec spec) {
    this.size = spec.size();
    this.policy = spec.resize();
    float[] mean = spec.mean();
    float[] std = spec.std();
    for (int c = 0; c < 3; c++) {
      // (v / 255 - mean) / std, folded into one multiply-add per value.
      scale[c] = 1f / (255f * std[c]);
      shift[c] = -mean[c] / std[c];
      int bg = (spec.background() >> (16 - 8 * c)) & 0xFF;
      backgroundValue[c] = bg * scale[c] + shift[c];
    }
  }

  int tensorLength() {
    return 3 * size * size;
  }

  /**
   * The longer side after scaling the shorter one to {@code size}, truncated as torchvision's
   * {@code Resize(int)} does. Capped so that a 1 x 40,000,000 strip cannot overflow an int; at such
   * aspect ratios the cap moves the crop by a fraction of a source pixel.
   */
  private static int longSide(int size, int longer, int shorter) {
    long scaled = (long) size * longer / shorter;
    return (int) Math.max(size, Math.min(scaled, Integer.MAX_VALUE / 4));
  }

  /** Writes {@code rgb} (plain {@code TYPE_INT_RGB}) at {@code out[offset .. offset+length)}. */
  void write(BufferedImage rgb, float[] out, int offset) {
    int srcW = rgb.getWidth();
    int srcH = rgb.getHeight();
    // Scaled content size, crop offset into it, and pad offset in the output square.
    int scaledW;
    int scaledH;
    switch (policy) {
      case RESIZE_SHORTER_CENTER_CROP -> {
        // Truncating the longer side as torchvision's Resize(int) does.
        if (srcW <= srcH) {
          scaledW = size;
          scaledH = longSide(size, srcH, srcW);
        } else {
          scaledH = size;
          scaledW = longSide(size, srcW, srcH);
        }
      }
      case RESIZE_LONGER_PAD -> {
        if (srcW >= srcH) {
          scaledW = size;
          scaledH = Math.max(1, (int) Math.round((double) size * srcH / srcW));
        } else {
          scaledH = size;
          scaledW = Math.max(1, (int) Math.round((double) size * srcW / srcH));
        }
      }
      case STRETCH -> {
        scaledW = size;
        scaledH = size;
      }
      default -> throw new AssertionError(policy);
    }
    int contentW = Math.min(scaledW, size);
    int contentH = Math.min(scaledH, size);
    int cropX = (scaledW - contentW) / 2;
    int cropY = (scaledH - contentH) / 2;
    int padX = (size - contentW) / 2;
    int padY = (size - contentH) / 2;

    ResampleWeights horizontal = ResampleWeights.of(srcW, scaledW, cropX, contentW);
    ResampleWeights vertical = ResampleWeights.of(srcH, scaledH, cropY, contentH);
    int firstRow = vertical.first[0];
    int lastRow = vertical.first[contentH - 1] + vertical.count[contentH - 1];
    int rows = lastRow - firstRow;

    // Horizontal pass over only the source rows the vertical pass reads; channel-planar. Each
    // source row is unpacked to floats once, since the filter taps overlap about four-fold.
    int[] src = SrgbConverter.pixels(rgb);
    float[] tmp = new float[3 * rows * contentW];
    int plane = rows * contentW;
    int firstColumn = horizontal.first[0];
    int columns = horizontal.first[contentW - 1] + horizontal.count[contentW - 1] - firstColumn;
    float[] redRow = new float[columns];
    float[] greenRow = new float[columns];
    float[] blueRow = new float[columns];
    for (int r = 0; r < rows; r++) {
      int rowStart = (firstRow + r) * srcW + firstColumn;
      for (int x = 0; x < columns; x++) {
        int p = src[rowStart + x];
        redRow[x] = (p >> 16) & 0xFF;
        greenRow[x] = (p >> 8) & 0xFF;
        blueRow[x] = p & 0xFF;
      }
      int t = r * contentW;
      for (int x = 0; x < contentW; x++) {
        float[] w = horizontal.weights[x];
        int s = horizontal.first[x] - firstColumn;
        float red = 0;
        float green = 0;
        float blue = 0;
        for (int k = 0; k < w.length; k++) {
          float wk = w[k];
          red += wk * redRow[s + k];
          green += wk * greenRow[s + k];
          blue += wk * blueRow[s + k];
        }
        tmp[t + x] = red;
        tmp[plane + t + x] = green;
        tmp[2 * plane + t + x] = blue;
      }
    }

    int area = size * size;
    if (contentW < size || contentH < size) {
      for (int c = 0; c < 3; c++) {
        java.util.Arrays.fill(out, offset + c * area, offset + (c + 1) * area, backgroundValue[c]);
      }
    }
    float[] column = new float[contentW];
    for (int y = 0; y < contentH; y++) {
      float[] w = vertical.weights[y];
      int r0 = vertical.first[y] - firstRow;
      for (int c = 0; c < 3; c++) {
        java.util.Arrays.fill(column, 0f);
        for (int k = 0; k < w.length; k++) {
          float wk = w[k];
          int t = c * plane + (r0 + k) * contentW;
          for (int x = 0; x < contentW; x++) {
            column[x] += wk * tmp[t + x];
          }
        }
        int o = offset + c * area + (y + padY) * size + padX;
        float sc = scale[c];
        float sh = shift[c];
        for (int x = 0; x < contentW; x++) {
          // Bicubic overshoots near edges; clamp to the displayable range like Pillow does.
          float v = Math.min(255f, Math.max(0f, column[x]));
          out[o + x] = v * sc + sh;
        }
      }
    }
  }
}
