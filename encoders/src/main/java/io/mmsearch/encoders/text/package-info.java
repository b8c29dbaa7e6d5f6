/**
 * Text input of the encoders: the word-level tokenizer bundles declare ({@link
 * io.mmsearch.encoders.text.WordTokenizer}, with {@link io.mmsearch.encoders.text.WordSplitter}
 * defining what a word is), the {@code vocab.txt} table ({@link
 * io.mmsearch.encoders.text.Vocabulary}) and the {@link
 * io.mmsearch.encoders.text.VocabularyBuilder} that training uses to make one. Training and serving
 * share these classes so a model sees identical ids for identical text.
 */
package io.mmsearch.encoders.text;
