package io.mmsearch.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The literal syntax of minified TF.js model files, read without running any code. */
class JsModuleValueTest {

  @Test
  void readsTheExportedObjectLiteralWithMinifiedBooleansAndShortNumbers() {
    String js =
        "!function(e){module.exports=e()}(function(){return{1:[function(e,a,n){a.exports="
            + "{modelTopology:{trainable:!1,center:!0,min:-.5,scale:.25,eps:1e-3,n:null,"
            + "\"quoted key\":\"a\\\"b\",list:[1,-2,3.5],v:void 0}},{}]}})";
    JsonNode v = JsModuleValue.exported(js, "model.min.js").get("modelTopology");
    assertEquals(false, v.get("trainable").asBoolean());
    assertEquals(true, v.get("center").asBoolean());
    assertEquals(-0.5, v.get("min").asDouble());
    assertEquals(0.25, v.get("scale").asDouble());
    assertEquals(0.001, v.get("eps").asDouble());
    assertTrue(v.get("n").isNull());
    assertTrue(v.get("v").isNull());
    assertEquals("a\"b", v.get("quoted key").asText());
    assertEquals(-2, v.get("list").get(1).asInt());
    assertEquals(3.5, v.get("list").get(2).asDouble());
  }

  @Test
  void readsAnExportedString() {
    String js = "x.exports=e();h.exports=\"AAEC\"},{}]";
    assertEquals("AAEC", JsModuleValue.exported(js, "shard.min.js").asText());
  }

  @Test
  void anythingButALiteralIsAnErrorNamingTheFileAndOffset() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JsModuleValue.exported("a.exports={x:foo()}", "model.min.js"));
    assertTrue(e.getMessage().startsWith("model.min.js: unexpected character 'f'"), e.getMessage());
    assertTrue(e.getMessage().contains("offset 13"), e.getMessage());
  }

  @Test
  void aFileWithoutAnExportedLiteralIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JsModuleValue.exported("module.exports=e()", "model.min.js"));
    assertTrue(e.getMessage().contains("model.min.js has no '.exports='"), e.getMessage());
  }
}
