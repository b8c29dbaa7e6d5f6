package io.mmsearch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes the recall@10 versus queries/s chart of the ANN benchmark as a PNG (XChart). */
final class RecallQpsPlot {
  private RecallQpsPlot() {}

  /**
   * One line per series (configs sharing a name up to {@code -os}), one point per oversample;
   * baselines are single points.
   */
  static void write(List<AnnResult> results, int docs, Path png) throws IOException {
    Map<String, List<AnnResult>> series = new LinkedHashMap<>();
    for (AnnResult r : results) {
      if (r.recallAt10() == null) {
        continue;
      }
      String name = r.config().replaceAll("-os\\d+", "");
      series.computeIfAbsent(name, n -> new ArrayList<>()).add(r);
    }
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(600)
            .title("recall@10 vs queries/s, " + docs + " docs, 1 thread")
            .xAxisTitle("queries/s (log)")
            .yAxisTitle("recall@10")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    for (Map.Entry<String, List<AnnResult>> e : series.entrySet()) {
      double[] x = e.getValue().stream().mapToDouble(AnnResult::qps).toArray();
      double[] y = e.getValue().stream().mapToDouble(AnnResult::recallAt10).toArray();
      XYSeries s = chart.addSeries(e.getKey(), x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
      if (x.length == 1) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      }
    }
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
