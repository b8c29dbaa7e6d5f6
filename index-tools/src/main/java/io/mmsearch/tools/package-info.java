/**
 * The {@code mmsearch} command line: {@link io.mmsearch.tools.MmsearchCommand} and one picocli
 * class per verb ({@code index}, {@code search}, {@code eval}, {@code stats}, {@code serve}, {@code
 * train}, {@code bench}, {@code demo}). This is the only module with a {@code main}; verbs are
 * thin: the work lives in the sub-packages and in the library modules.
 */
package io.mmsearch.tools;
