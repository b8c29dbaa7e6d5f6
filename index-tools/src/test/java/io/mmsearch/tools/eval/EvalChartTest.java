package io.mmsearch.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalChartTest {

  @TempDir Path dir;

  @Test
  void writesAPngWithRetrievalAndAccuracyLinesSideBySide() throws Exception {
    RetrievalFigures figures = new RetrievalFigures(10, 0.2, 0.5, 0.7, 0.35, 0.45);
    List<EvalLine> lines =
        List.of(
            EvalLine.retrieval(EvalTask.TEXT_TO_IMAGE, EvalMode.VECTOR, "q.jsonl", figures, 0.1),
            EvalLine.retrieval(EvalTask.TEXT_TO_IMAGE, EvalMode.BM25, "q.jsonl", figures, 0.1),
            new EvalLine(
                EvalTask.ZERO_SHOT_CLASS, EvalMode.VECTOR, null, 10, Map.of("accuracy", 0.4)));
    Path png = dir.resolve("eval.png");
    EvalChart.write("test", lines, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image);
    assertEquals(500, image.getHeight());
  }
}
