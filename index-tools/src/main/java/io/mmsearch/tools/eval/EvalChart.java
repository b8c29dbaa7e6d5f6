package io.mmsearch.tools.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws evaluation lines as a grouped bar chart (XChart) and writes it as PNG: one group per task
 * and mode, one bar per figure. A figure a line does not have (accuracy on a retrieval line) is
 * drawn as no bar, never as a zero.
 */
public final class EvalChart {

  private static final Map<String, String> SERIES = new LinkedHashMap<>();

  static {
    SERIES.put("recall_at_1", "R@1");
    SERIES.put("recall_at_10", "R@10");
    SERIES.put("mrr", "MRR");
    SERIES.put("ndcg_at_10", "nDCG@10");
    SERIES.put("accuracy", "accuracy");
    SERIES.put("recall", "ANN recall");
    SERIES.put("chance_recall_at_10", "chance R@10");
  }

  private EvalChart() {}

  /**
   * Writes the chart.
   *
   * @param title the chart's title
   * @param lines the lines to draw, in order
   * @param png the file to write; {@code .png} is added by XChart when missing
   */
  public static void write(String title, List<EvalLine> lines, Path png) throws IOException {
    CategoryChart chart = chart(title, lines.size());
    List<String> categories = lines.stream().map(EvalLine::label).toList();
    for (Map.Entry<String, String> series : SERIES.entrySet()) {
      List<Double> values = new ArrayList<>();
      boolean any = false;
      for (EvalLine line : lines) {
        Double value = line.figures().get(series.getKey());
        values.add(value);
        any |= value != null;
      }
      if (any) {
        chart.addSeries(series.getValue(), categories, values);
      }
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Figures drawn for a comparison, old and new side by side. */
  private static final Map<String, String> COMPARED = new LinkedHashMap<>();

  static {
    COMPARED.put("recall_at_10", "R@10");
    COMPARED.put("mrr", "MRR");
    COMPARED.put("accuracy", "accuracy");
  }

  /**
   * Draws a comparison of two models: per line, the old and the new model's R@10, MRR (retrieval)
   * or accuracy (zero-shot) as neighbouring bars, the label carrying the line's wins and losses.
   */
  public static void writeComparison(String title, ModelComparison comparison, Path png)
      throws IOException {
    List<ModelComparison.ComparedLine> lines = comparison.lines();
    CategoryChart chart = chart(title, lines.size());
    List<String> categories = new ArrayList<>();
    for (ModelComparison.ComparedLine line : lines) {
      String label = line.any().label();
      if (line.wins() + line.losses() + line.ties() > 0) {
        label += " +" + line.wins() + "/-" + line.losses();
      }
      categories.add(label);
    }
    for (Map.Entry<String, String> figure : COMPARED.entrySet()) {
      for (boolean isNew : new boolean[] {false, true}) {
        List<Double> values = new ArrayList<>();
        boolean any = false;
        for (ModelComparison.ComparedLine line : lines) {
          EvalLine side = isNew ? line.newLine() : line.oldLine();
          Double value = side == null ? null : side.figures().get(figure.getKey());
          values.add(value);
          any |= value != null;
        }
        if (any) {
          String model = isNew ? comparison.newSide().label() : comparison.oldSide().label();
          chart.addSeries(model + " " + figure.getValue(), categories, values);
        }
      }
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static CategoryChart chart(String title, int categories) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(Math.max(800, 140 * categories))
            .height(500)
            .title(title)
            .yAxisTitle("figure")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setXAxisLabelRotation(20);
    return chart;
  }
}
