package io.mmsearch.encoders.image;

import io.mmsearch.encoders.error.UnencodableInputException;
import java.util.Objects;

/**
 * An image file could not be turned into pixels: it is empty, truncated, not an image, in a format
 * no installed reader understands, or larger than the pixel budget.
 *
 * <p>The message is {@code "<item>: <reason>"}; {@link #itemName()} and {@link #reason()} give the
 * two parts separately so that batch callers can report them in their own format.
 */
public final class ImageDecodingException extends UnencodableInputException {
  private static final long serialVersionUID = 1L;

  private final String itemName;
  private final String reason;

  public ImageDecodingException(String itemName, String reason) {
    this(itemName, reason, null);
  }

  public ImageDecodingException(String itemName, String reason, Throwable cause) {
    super(Objects.requireNonNull(itemName, "itemName") + ": " + reason, cause);
    this.itemName = itemName;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The name the caller gave the item (a file name, a manifest id, a batch index). */
  public String itemName() {
    return itemName;
  }

  /** Why the item was refused, without the item name, e.g. {@code "empty file"}. */
  public String reason() {
    return reason;
  }
}
