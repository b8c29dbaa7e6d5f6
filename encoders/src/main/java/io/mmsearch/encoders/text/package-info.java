/**
 * Text input of the encoders, shared by training and serving so a model sees identical ids and
 * features for identical text.
 *
 * <ul>
 *   <li>Word level: {@link io.mmsearch.encoders.text.WordTokenizer} (with {@link
 *       io.mmsearch.encoders.text.WordSplitter} defining what a word is), the {@code vocab.txt}
 *       table {@link io.mmsearch.encoders.text.Vocabulary}, and {@link
 *       io.mmsearch.encoders.text.VocabularyBuilder} that training uses to make one.
 *   <li>Hugging Face {@code tokenizer.json} (WordPiece, BPE, Unigram): {@link
 *       io.mmsearch.encoders.text.SubwordTokenizer}, whose rows {@link
 *       io.mmsearch.encoders.text.SubwordBatch} pads; {@link io.mmsearch.encoders.text.Pooling}
 *       turns a token graph's output into one vector per text.
 *   <li>What a bundle declares: {@link io.mmsearch.encoders.text.TextInputSpec}, with an optional
 *       frozen {@link io.mmsearch.encoders.text.BackboneSpec} (e.g. {@link
 *       io.mmsearch.encoders.text.PretrainedBackbones#MINILM_L6_V2}) and the {@link
 *       io.mmsearch.encoders.text.TokenGraphSpec} of a graph that takes token ids.
 * </ul>
 */
package io.mmsearch.encoders.text;
