package io.mmsearch.solr.update;

/**
 * The image of one document, read from the field that carried it.
 *
 * @param field the document field the image came from
 * @param label how to name the image in messages: its path, or "bytes"
 * @param bytes the image file's bytes
 * @param path the path as the document gave it, or null for inline bytes
 */
record ImageInput(String field, String label, byte[] bytes, String path) {}
