package io.mmsearch.encoders.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns image files into the float32 tensors an image encoder consumes, exactly as a model bundle's
 * {@link ImageInputSpec} declares: decode, apply the EXIF orientation, composite transparency onto
 * the background, resize with anti-aliasing, centre-crop (or pad), and normalise with the mean and
 * standard deviation into CHW layout.
 *
 * <p>Decoding goes through ImageIO with the TwelveMonkeys plug-ins on the class path: JPEG
 * (including CMYK and YCCK), PNG (JDK reader: 1 to 16 bits, grey, palette with transparency), GIF
 * (first frame), BMP, TIFF and WebP. Before a single pixel row is decoded the header size is read:
 * an image of more than {@link #maxPixels()} pixels is decoded with source subsampling (every n-th
 * pixel of every n-th row, n as small as the budget allows) so the decoded raster stays within the
 * budget whatever the file declares, and only an image of more than {@link #maxSourcePixels()}
 * pixels is refused. A small file that declares a huge image cannot exhaust the heap.
 *
 * <p>Resizing is a separable convolution with the bicubic kernel (a = -0.5) whose support widens
 * with the downscale factor, as Pillow and torchvision's {@code antialias=True} do, so shrinking
 * averages every source pixel instead of sampling a few of them.
 *
 * <p>Immutable and thread-safe: one instance serves any number of threads. The code path is
 * deterministic, so identical bytes always give bit-identical tensors.
 */
public final class ImagePreprocessor {

  /**
   * Default budget of a decoded image: 40 megapixels, about 160 MB as packed RGB. Larger images are
   * decoded with source subsampling to within it.
   */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /**
   * Default largest image, as stored, that a subsampled decode reads: 640 megapixels (for example
   * 25,000 x 25,600). Subsampling bounds memory, not time: the reader still inflates every row.
   */
  public static final long DEFAULT_MAX_SOURCE_PIXELS = 16 * DEFAULT_MAX_PIXELS;

  private final ImageInputSpec spec;
  private final long maxPixels;
  private final long maxSourcePixels;
  private final int minSide;
  private final String minSideOwner;
  private final ImageFileDecoder decoder;
  private final TensorWriter tensorWriter;

  /** A preprocessor for {@code spec} with the {@linkplain #DEFAULT_MAX_PIXELS default budget}. */
  public ImagePreprocessor(ImageInputSpec spec) {
    this(spec, DEFAULT_MAX_PIXELS, DEFAULT_MAX_SOURCE_PIXELS, 1, null);
  }

  private ImagePreprocessor(
      ImageInputSpec spec, long maxPixels, long maxSourcePixels, int minSide, String minSideOwner) {
    this.spec = Objects.requireNonNull(spec, "spec");
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
    if (maxSourcePixels < maxPixels) {
      throw new IllegalArgumentException(
          "maxSourcePixels ("
              + maxSourcePixels
              + ") must be at least maxPixels ("
              + maxPixels
              + ")");
    }
    this.maxPixels = maxPixels;
    this.maxSourcePixels = maxSourcePixels;
    this.minSide = minSide;
    this.minSideOwner = minSideOwner;
    this.decoder =
        new ImageFileDecoder(maxPixels, maxSourcePixels, spec.background(), minSide, minSideOwner);
    this.tensorWriter = new TensorWriter(spec);
  }

  /**
   * A copy of this preprocessor that decodes images of more than {@code maxPixels} pixels with
   * source subsampling (the source budget is raised to {@code maxPixels} if it was lower).
   */
  public ImagePreprocessor withMaxPixels(long maxPixels) {
    return new ImagePreprocessor(
        spec, maxPixels, Math.max(maxPixels, maxSourcePixels), minSide, minSideOwner);
  }

  /**
   * A copy of this preprocessor that refuses, from the header, images narrower or lower than {@code
   * minSide} pixels (as stored); larger ones are still resized, up or down, to the spec's size.
   *
   * @param owner what needs the minimum, quoted in the error (e.g. {@code "the image backbone
   *     nsfwjs-4.4.0/mobilenet_v2"})
   */
  public ImagePreprocessor withMinimumSide(int minSide, String owner) {
    if (minSide <= 0) {
      throw new IllegalArgumentException("minSide must be positive, got " + minSide);
    }
    return new ImagePreprocessor(
        spec, maxPixels, maxSourcePixels, minSide, Objects.requireNonNull(owner, "owner"));
  }

  /** The smallest width and height accepted (1 unless {@link #withMinimumSide} raised it). */
  public int minimumSide() {
    return minSide;
  }

  /**
   * A copy of this preprocessor that refuses images of more than {@code maxSourcePixels} pixels as
   * stored.
   *
   * @throws IllegalArgumentException if that is below {@link #maxPixels()}
   */
  public ImagePreprocessor withMaxSourcePixels(long maxSourcePixels) {
    return new ImagePreprocessor(spec, maxPixels, maxSourcePixels, minSide, minSideOwner);
  }

  /** The input specification this preprocessor implements. */
  public ImageInputSpec spec() {
    return spec;
  }

  /**
   * The largest width x height decoded whole; larger images are decoded with source subsampling to
   * within it.
   */
  public long maxPixels() {
    return maxPixels;
  }

  /** The largest width x height (of the file as stored) that is decoded at all. */
  public long maxSourcePixels() {
    return maxSourcePixels;
  }

  /**
   * Refuses, from its header alone, an image that {@link #decode} would refuse for its size.
   *
   * @throws ImageDecodingException if the image as stored has more than {@link #maxSourcePixels()}
   *     pixels, or a side below {@link #minimumSide()}
   */
  public void checkBudget(ImageHeader header, String itemName) {
    decoder.checkBudget(header, itemName);
  }

  /** Number of floats one image occupies in a tensor: {@code 3 * size * size}. */
  public int tensorLength() {
    return tensorWriter.tensorLength();
  }

  /**
   * Reads format and size from the file header without decoding pixels and without applying the
   * pixel budget.
   *
   * @param itemName names the item in error messages
   * @throws ImageDecodingException if the bytes are empty, not an image, or the header is corrupt
   */
  public ImageHeader readHeader(byte[] bytes, String itemName) {
    return decoder.readHeader(bytes, itemName);
  }

  /**
   * Decodes an image file to 8-bit sRGB pixels.
   *
   * @param bytes the whole file
   * @param itemName names the item in error messages
   * @return a new {@link BufferedImage#TYPE_INT_RGB} image, upright (the EXIF orientation of a
   *     JPEG's APP1 segment or a TIFF's first directory applied; a damaged EXIF block is ignored),
   *     with any transparency composited onto the spec's background; for animations and multi-page
   *     files, the first frame; an image over {@link #maxPixels()} comes out subsampled (every n-th
   *     pixel of every n-th row) to within it
   * @throws ImageDecodingException naming the item and the reason when the file is empty,
   *     truncated, not an image, in an unsupported format, or larger than {@link
   *     #maxSourcePixels()}
   */
  public BufferedImage decode(byte[] bytes, String itemName) {
    return decoder.decode(bytes, itemName);
  }

  /**
   * Resizes, crops and normalises an image into a new CHW float array of length {@link
   * #tensorLength()}.
   *
   * @param image any image; images that are not {@code TYPE_INT_RGB} are first converted as {@link
   *     #decode} would
   */
  public float[] toTensor(BufferedImage image) {
    float[] out = new float[tensorLength()];
    tensorWriter.write(SrgbConverter.toIntRgb(image, spec.background()), out, 0);
    return out;
  }

  /** {@link #decode} then {@link #toTensor}. */
  public float[] preprocess(byte[] bytes, String itemName) {
    return toTensor(decode(bytes, itemName));
  }

  /**
   * Preprocesses one image into slot {@code index} of a batch buffer laid out as {@code [N, 3,
   * size, size]}. Different threads may fill different slots of the same buffer concurrently. On
   * failure the buffer is left untouched.
   *
   * @throws ImageDecodingException as {@link #decode}
   * @throws IndexOutOfBoundsException if slot {@code index} does not fit in {@code batchBuffer}
   */
  public void preprocessInto(byte[] bytes, String itemName, float[] batchBuffer, int index) {
    int length = tensorLength();
    Objects.checkFromIndexSize((long) index * length, length, batchBuffer.length);
    BufferedImage rgb = decode(bytes, itemName);
    tensorWriter.write(rgb, batchBuffer, index * length);
  }

  /**
   * Preprocesses many images into one contiguous tensor. An image that fails is reported in {@link
   * PreprocessedBatch#failures()} and left out; it never fails the batch.
   *
   * @param images the files, one per item
   * @param itemNames one name per item, used in failure reports
   * @throws IllegalArgumentException if the two lists differ in size
   */
  public PreprocessedBatch preprocessBatch(List<byte[]> images, List<String> itemNames) {
    if (images.size() != itemNames.size()) {
      throw new IllegalArgumentException(
          images.size() + " images but " + itemNames.size() + " item names");
    }
    int length = tensorLength();
    float[] buffer = new float[Math.multiplyExact(images.size(), length)];
    int[] sourceIndices = new int[images.size()];
    List<PreprocessedBatch.ItemFailure> failures = new ArrayList<>();
    int rows = 0;
    for (int i = 0; i < images.size(); i++) {
      String name = itemNames.get(i);
      try {
        // Writing happens only after a successful decode, so a failure leaves row `rows` free.
        preprocessInto(images.get(i), name, buffer, rows);
        sourceIndices[rows++] = i;
      } catch (ImageDecodingException e) {
        failures.add(new PreprocessedBatch.ItemFailure(i, e.itemName(), e.reason()));
      }
    }
    if (rows < images.size()) {
      buffer = Arrays.copyOf(buffer, rows * length);
      sourceIndices = Arrays.copyOf(sourceIndices, rows);
    }
    return new PreprocessedBatch(buffer, spec.size(), sourceIndices, failures);
  }

  @Override
  public String toString() {
    return "ImagePreprocessor["
        + spec
        + ", maxPixels="
        + maxPixels
        + ", maxSourcePixels="
        + maxSourcePixels
        + (minSide > 1 ? ", minSide=" + minSide : "")
        + "]";
  }
}
