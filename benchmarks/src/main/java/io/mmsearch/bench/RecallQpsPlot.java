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
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes the recall@10 versus queries/s chart of one data set of the ANN benchmark as a PNG
 * (XChart): one line per configuration series ({@link AnnResult#series()}), one point per candidate
 * count; flat baselines are single points. Single-threaded runs only, so that every point compares
 * like for like; the multi-threaded figures are in the JSON output.
 */
final class RecallQpsPlot {
  private RecallQpsPlot() {}

  static void write(List<AnnResult> results, String data, int docs, Path png) throws IOException {
    Map<String, List<AnnResult>> series = new LinkedHashMap<>();
    for (AnnResult r : results) {
      if (r.threads() == 1) {
        series.computeIfAbsent(r.series(), n -> new ArrayList<>()).add(r);
      }
    }
    XYChart chart =
        new XYChartBuilder()
            .width(1100)
            .height(650)
            .title(data + ": recall@10 vs queries/s, " + docs + " docs, 1 query thread")
            .xAxisTitle("queries/s (log)")
            .yAxisTitle("recall@10")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(6);
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
