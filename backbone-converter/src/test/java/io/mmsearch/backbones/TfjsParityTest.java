package io.mmsearch.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The converted graph, run in ONNX Runtime, against outputs TensorFlow.js itself computed once from
 * the original model ({@code tfjs-reference.json}, made by {@code src/test/node/tfjs-reference.cjs}
 * with {@code @tensorflow/tfjs} 4.22.0): the unmodified 224 px classifier's probabilities and
 * pooled intermediate layers, and the same layers at 128 px (which TF.js ran on the model cut after
 * {@code out_relu} with its input resized).
 */
class TfjsParityTest {
  /** Largest absolute difference allowed (activations reach 6, ReLU6's ceiling). */
  static final double TOLERANCE = 1e-4;

  private static TfjsLayersModel model;
  private static JsonNode fixture;

  @BeforeAll
  static void load() throws Exception {
    model = MobileNetV2Nsfwjs.fetch(TestPaths.npmCache());
    try (InputStream in = TfjsParityTest.class.getResourceAsStream("/tfjs-reference.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void classifierAt224MatchesTfjs() throws Exception {
    checkCase(fixture.path("cases").get(0));
  }

  @Test
  void dynamicSizeGraphAt128MatchesTfjsOnTheResizedModel() throws Exception {
    checkCase(fixture.path("cases").get(1));
  }

  private static void checkCase(JsonNode c) throws Exception {
    int size = c.path("size").asInt();
    int[] images = new int[c.path("images").size()];
    for (int i = 0; i < images.length; i++) {
      images[i] = c.path("images").get(i).asInt();
    }
    List<Tap> taps = new ArrayList<>();
    for (Iterator<String> it = c.path("outputs").fieldNames(); it.hasNext(); ) {
      taps.add(Tap.parse(it.next()));
    }
    ConvertedBackbone graph = MobileNetV2Nsfwjs.convert(model, taps);
    float[][] rows =
        BackboneRunner.run(graph, SyntheticImages.batch(images, size), images.length, size);
    double worst = 0;
    String worstWhere = "";
    for (Map.Entry<String, JsonNode> e : c.path("outputs").properties()) {
      ConvertedBackbone.Slice slice = graph.slice(Tap.parse(e.getKey()));
      for (int r = 0; r < images.length; r++) {
        JsonNode expected = e.getValue().get(r);
        assertEquals(expected.size(), slice.width(), e.getKey() + " width");
        for (int i = 0; i < slice.width(); i++) {
          double diff = Math.abs(rows[r][slice.offset() + i] - expected.get(i).asDouble());
          if (diff > worst) {
            worst = diff;
            worstWhere = e.getKey() + " image " + images[r] + " [" + i + "]";
          }
        }
      }
    }
    System.out.println(size + " px: largest difference from TF.js " + worst + " at " + worstWhere);
    assertTrue(
        worst <= TOLERANCE,
        size + " px: largest difference " + worst + " at " + worstWhere + " exceeds " + TOLERANCE);
  }
}
