package io.mmsearch.solr.config;

import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.util.NamedList;

/**
 * Reads the init arguments a plugin gets from {@code solrconfig.xml} ({@code <str name="...">}),
 * the one way every mmsearch plugin reads them: each argument read is removed (so the plugin's
 * superclass sees only what is its own), trimmed, and a missing or blank one takes the default. A
 * value of the wrong kind fails the core's load with a message naming the argument. Stateless.
 */
public final class PluginArgs {
  private PluginArgs() {}

  /** The argument as a trimmed string; {@code defaultValue} if it is missing or blank. */
  public static String string(NamedList<?> args, String name, String defaultValue) {
    Object v = args.remove(name);
    if (v == null || v.toString().isBlank()) {
      return defaultValue;
    }
    return v.toString().trim();
  }

  /**
   * The argument as an integer; {@code defaultValue} if it is missing or blank.
   *
   * @throws SolrException (server error) naming the argument if it is not an integer
   */
  public static int integer(NamedList<?> args, String name, int defaultValue) {
    String s = string(args, name, null);
    if (s == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR, "mmsearch: " + name + " must be an integer, got '" + s + "'");
    }
  }
}
