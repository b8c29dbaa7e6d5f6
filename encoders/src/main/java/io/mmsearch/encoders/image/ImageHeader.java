package io.mmsearch.encoders.image;

/**
 * What an image file declares about itself, read without decoding any pixel row.
 *
 * @param formatName the ImageIO format name of the reader that understood the file, upper-cased
 *     (for example {@code "JPEG"}, {@code "PNG"}, {@code "GIF"}, {@code "BMP"}, {@code "TIFF"},
 *     {@code "WEBP"})
 * @param mimeType the reader's primary MIME type, for example {@code "image/jpeg"}
 * @param width width in pixels of the first image as stored (before EXIF orientation)
 * @param height height in pixels of the first image as stored (before EXIF orientation)
 */
public record ImageHeader(String formatName, String mimeType, int width, int height) {

  /** Number of pixels of the first image; a {@code long} because the product can exceed ints. */
  public long pixels() {
    return (long) width * height;
  }
}
