package io.mmsearch.backbones;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the value a minified JavaScript module exports ({@code <x>.exports=<value>}) as JSON, for
 * the TF.js model files nsfwjs ships as browserified JS: {@code model.min.js} exports the model
 * topology and weight manifest as an object literal, each {@code group1-shard*.min.js} exports the
 * weights as one base64 string.
 *
 * <p>Only the literal syntax such files use is accepted: objects with identifier or string keys,
 * arrays, double-quoted strings, numbers (also {@code .5}, {@code -.5}, exponents), {@code true},
 * {@code false}, {@code null}, the minifier's {@code !0}/{@code !1} and {@code void 0}. Anything
 * else is an error naming the file and the offset. Not a JavaScript interpreter: no code runs.
 */
final class JsModuleValue {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String source;
  private final String fileName;
  private int at;

  private JsModuleValue(String source, String fileName, int at) {
    this.source = source;
    this.fileName = fileName;
    this.at = at;
  }

  /**
   * The value exported by the first {@code .exports=} assignment whose value starts with {@code
   * '{'}, {@code '['} or {@code '"'}.
   *
   * @throws IllegalArgumentException naming the file if there is none or it is not a literal
   */
  static JsonNode exported(String source, String fileName) {
    int from = 0;
    while (true) {
      int i = source.indexOf(".exports=", from);
      if (i < 0) {
        throw new IllegalArgumentException(
            fileName + " has no '.exports=' assignment of an object, array or string literal");
      }
      int start = i + ".exports=".length();
      if (start < source.length() && "{[\"".indexOf(source.charAt(start)) >= 0) {
        return new JsModuleValue(source, fileName, start).value();
      }
      from = start;
    }
  }

  private JsonNode value() {
    char c = peek();
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
      case '\'':
        return NODES.textNode(string());
      case '!':
        at++;
        if (consume("0")) {
          return NODES.booleanNode(true);
        }
        if (consume("1")) {
          return NODES.booleanNode(false);
        }
        throw error("expected !0 or !1");
      default:
        if (consume("true")) {
          return NODES.booleanNode(true);
        }
        if (consume("false")) {
          return NODES.booleanNode(false);
        }
        if (consume("null") || consume("void 0")) {
          return NODES.nullNode();
        }
        if (c == '-' || c == '.' || Character.isDigit(c)) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private ObjectNode object() {
    expect('{');
    ObjectNode node = NODES.objectNode();
    if (peek() == '}') {
      at++;
      return node;
    }
    while (true) {
      String key = peek() == '"' || peek() == '\'' ? string() : identifier();
      expect(':');
      node.set(key, value());
      char c = next();
      if (c == '}') {
        return node;
      }
      if (c != ',') {
        throw error("expected ',' or '}' in an object");
      }
    }
  }

  private ArrayNode array() {
    expect('[');
    ArrayNode node = NODES.arrayNode();
    if (peek() == ']') {
      at++;
      return node;
    }
    while (true) {
      node.add(value());
      char c = next();
      if (c == ']') {
        return node;
      }
      if (c != ',') {
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  private String string() {
    char quote = next();
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == quote) {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (at + 4 > source.length()) {
            throw error("truncated \\u escape");
          }
          sb.append((char) Integer.parseInt(source.substring(at, at + 4), 16));
          at += 4;
        }
        default -> sb.append(e);
      }
    }
  }

  private String identifier() {
    int start = at;
    while (at < source.length()
        && (Character.isLetterOrDigit(source.charAt(at))
            || source.charAt(at) == '_'
            || source.charAt(at) == '$')) {
      at++;
    }
    if (start == at) {
      throw error("expected a key");
    }
    return source.substring(start, at);
  }

  private JsonNode number() {
    int start = at;
    if (peek() == '-' || peek() == '+') {
      at++;
    }
    while (at < source.length() && "0123456789.eE+-".indexOf(source.charAt(at)) >= 0) {
      char c = source.charAt(at);
      if ((c == '+' || c == '-') && !"eE".contains(String.valueOf(source.charAt(at - 1)))) {
        break;
      }
      at++;
    }
    String text = source.substring(start, at);
    try {
      if (text.matches("[-+]?\\d{1,18}")) {
        return NODES.numberNode(Long.parseLong(text));
      }
      // Correctly rounded, as JavaScript's own number parsing: dequantized weights depend on it.
      return NODES.numberNode(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      throw error("malformed number '" + text + "'");
    }
  }

  private boolean consume(String word) {
    if (source.startsWith(word, at)) {
      at += word.length();
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (next() != c) {
      at--;
      throw error("expected '" + c + "'");
    }
  }

  private char peek() {
    if (at >= source.length()) {
      throw error("unexpected end of file");
    }
    return source.charAt(at);
  }

  private char next() {
    char c = peek();
    at++;
    return c;
  }

  private IllegalArgumentException error(String what) {
    int from = Math.max(0, at - 30);
    int to = Math.min(source.length(), at + 30);
    return new IllegalArgumentException(
        fileName
            + ": "
            + what
            + " at offset "
            + at
            + " (near '"
            + source.substring(from, to)
            + "'); not a TF.js model file this converter reads");
  }
}
