/**
 * The failures of encoding, shared by every package of the module: {@link
 * io.mmsearch.encoders.error.EncodingException} (an input could not be turned into a vector, or the
 * engine failed) and its subtype {@link io.mmsearch.encoders.error.UnencodableInputException} (the
 * input itself is at fault, so retrying it cannot help). A leaf package, so the text and image
 * packages that throw them depend on nothing above them.
 */
package io.mmsearch.encoders.error;
