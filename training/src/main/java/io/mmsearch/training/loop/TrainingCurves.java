package io.mmsearch.training.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the training curves (losses and validation recall per epoch) as one PNG with XChart. */
public final class TrainingCurves {

  private TrainingCurves() {}

  /** Writes {@code file} (a {@code .png} path) from {@code history}; does nothing when empty. */
  public static void write(List<EpochMetrics> history, Path file) throws IOException {
    if (history.isEmpty()) {
      return;
    }
    double[] epochs = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(450)
            .title("Training curves")
            .xAxisTitle("epoch")
            .yAxisTitle("loss")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.setYAxisGroupTitle(1, "recall");
    add(
        chart,
        "train loss",
        epochs,
        history.stream().mapToDouble(EpochMetrics::trainLoss).toArray(),
        0);
    if (history.get(0).recall() != null) {
      add(
          chart,
          "validation loss",
          epochs,
          history.stream().mapToDouble(EpochMetrics::validationLoss).toArray(),
          0);
      add(
          chart,
          "t2i R@1",
          epochs,
          history.stream()
              .mapToDouble(m -> m.recall() == null ? 0 : m.recall().textToImage()[0])
              .toArray(),
          1);
      add(
          chart,
          "i2t R@1",
          epochs,
          history.stream()
              .mapToDouble(m -> m.recall() == null ? 0 : m.recall().imageToText()[0])
              .toArray(),
          1);
      add(
          chart,
          "t2i R@10",
          epochs,
          history.stream()
              .mapToDouble(m -> m.recall() == null ? 0 : m.recall().textToImage()[2])
              .toArray(),
          1);
    }
    String name = file.toString();
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
  }

  private static void add(XYChart chart, String name, double[] x, double[] y, int axisGroup) {
    XYSeries series = chart.addSeries(name, x, y);
    series.setMarker(SeriesMarkers.CIRCLE);
    series.setYAxisGroup(axisGroup);
  }
}
