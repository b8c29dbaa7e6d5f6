package io.mmsearch.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * The seeded photometric and geometric augmentation behind the {@code real-image} ANN data set: a
 * random resized crop (40-100% of the area, aspect 3:4 to 4:3), a small rotation (up to 15
 * degrees), a horizontal flip, and colour jitter (brightness, contrast and saturation up to 25%,
 * hue up to 5% of the circle), the usual training-time augmentations of CLIP-style image towers.
 * Pixels that the transform uncovers stay transparent, so the encoder composites them onto the
 * model's own background like any other transparent pixel.
 *
 * <p>Stateless; every random choice comes from the caller's generator, so the same seed gives the
 * same image.
 */
final class ImageAugmentation {
  private static final double MIN_AREA = 0.4;
  private static final double MAX_ROTATION_RADIANS = Math.toRadians(15);
  private static final float JITTER = 0.25f;
  private static final float MAX_HUE_TURN = 0.05f;

  private ImageAugmentation() {}

  /** A new ARGB image of the source's size. */
  static BufferedImage apply(BufferedImage source, Random random) {
    int w = source.getWidth();
    int h = source.getHeight();
    double area = MIN_AREA + (1 - MIN_AREA) * random.nextDouble();
    double aspect = Math.exp(Math.log(3 / 4.0) + random.nextDouble() * Math.log(16 / 9.0));
    double cropW = Math.min(w, Math.sqrt(area * w * h * aspect));
    double cropH = Math.min(h, Math.sqrt(area * w * h / aspect));
    double cropX = random.nextDouble() * (w - cropW);
    double cropY = random.nextDouble() * (h - cropH);
    double angle = (random.nextDouble() * 2 - 1) * MAX_ROTATION_RADIANS;
    boolean flip = random.nextBoolean();

    // Output pixel -> source: undo flip, rotate about the centre, then map into the crop.
    AffineTransform t = new AffineTransform();
    t.translate(cropX, cropY);
    t.scale(cropW / w, cropH / h);
    t.rotate(angle, w / 2.0, h / 2.0);
    if (flip) {
      t.translate(w, 0);
      t.scale(-1, 1);
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, inverse(t), null);
    } finally {
      g.dispose();
    }
    jitterColours(out, random);
    return out;
  }

  private static AffineTransform inverse(AffineTransform t) {
    try {
      return t.createInverse();
    } catch (java.awt.geom.NoninvertibleTransformException e) {
      throw new AssertionError("a crop of positive size is invertible", e);
    }
  }

  /**
   * Saturation and hue rotation as one RGB matrix (the SVG/CSS {@code saturate} and {@code
   * hue-rotate} filters), then contrast about mid-grey and brightness: linear, so one pass.
   */
  private static void jitterColours(BufferedImage image, Random random) {
    float brightness = 1 + (random.nextFloat() * 2 - 1) * JITTER;
    float contrast = 1 + (random.nextFloat() * 2 - 1) * JITTER;
    float s = 1 + (random.nextFloat() * 2 - 1) * JITTER;
    double turn = (random.nextFloat() * 2 - 1) * MAX_HUE_TURN * 2 * Math.PI;
    float c = (float) Math.cos(turn);
    float n = (float) Math.sin(turn);
    float[][] hue = {
      {
        0.213f + c * 0.787f - n * 0.213f,
        0.715f - c * 0.715f - n * 0.715f,
        0.072f - c * 0.072f + n * 0.928f
      },
      {
        0.213f - c * 0.213f + n * 0.143f,
        0.715f + c * 0.285f + n * 0.140f,
        0.072f - c * 0.072f - n * 0.283f
      },
      {
        0.213f - c * 0.213f - n * 0.787f,
        0.715f - c * 0.715f + n * 0.715f,
        0.072f + c * 0.928f + n * 0.072f
      }
    };
    float[][] sat = {
      {0.213f + 0.787f * s, 0.715f - 0.715f * s, 0.072f - 0.072f * s},
      {0.213f - 0.213f * s, 0.715f + 0.285f * s, 0.072f - 0.072f * s},
      {0.213f - 0.213f * s, 0.715f - 0.715f * s, 0.072f + 0.928f * s}
    };
    float[][] m = new float[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int x = 0; x < 3; x++) {
          m[i][j] += hue[i][x] * sat[x][j];
        }
        m[i][j] *= contrast * brightness;
      }
    }
    float offset = 127.5f * (1 - contrast) * brightness;
    int w = image.getWidth();
    int h = image.getHeight();
    int[] px = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < px.length; i++) {
      int alpha = px[i] >>> 24;
      if (alpha == 0) {
        continue;
      }
      float r = (px[i] >> 16) & 0xFF;
      float g = (px[i] >> 8) & 0xFF;
      float b = px[i] & 0xFF;
      int r2 = channel(m[0][0] * r + m[0][1] * g + m[0][2] * b + offset);
      int g2 = channel(m[1][0] * r + m[1][1] * g + m[1][2] * b + offset);
      int b2 = channel(m[2][0] * r + m[2][1] * g + m[2][2] * b + offset);
      px[i] = (alpha << 24) | (r2 << 16) | (g2 << 8) | b2;
    }
    image.setRGB(0, 0, w, h, px, 0, w);
  }

  private static int channel(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }

  /**
   * The image over an opaque background colour (0xRRGGBB), as the model's preprocessing would
   * composite it; an opaque image can travel as an uncompressed BMP.
   */
  static BufferedImage flatten(BufferedImage image, int background) {
    BufferedImage out =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(new Color(background));
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
