package io.mmsearch.semantics.recall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an index measured about its own vector search: for one vector field on one segment layout,
 * the recall against exact search of each kind of query, with and without a filter, as a function
 * of the number of candidates fetched ({@link RecallCurve}). A search asks it for the candidate
 * count that reaches its target recall ({@link #choose}) and gets the recall to expect.
 *
 * <p>A calibration belongs to the layout it was measured on ({@link #layout()}: the segments and
 * their sizes): graphs are per segment and Lucene searches each segment for its share of the
 * candidates, so a flush or a merge changes the answer. It is stored with the commit it describes
 * ({@link #encode()}, commit user data key {@link #userDataKey(String)}) and measured again when
 * the layout changes.
 *
 * <p>Immutable and Lucene-free: the Solr plugin reads the same calibrations.
 *
 * @param field the vector field
 * @param layout signature of the segment layout measured ({@code name:maxDoc,...})
 * @param documents live documents with a vector in the field
 * @param segments segments with a vector in the field
 * @param measuredAt when, ISO-8601 UTC
 * @param cost what the measurement took
 * @param complete false if the time budget stopped the measurement before every curve reached its
 *     ceiling (the curves then end early)
 * @param querySources for each kind measured, what stood in for its queries
 * @param curves the measured curves
 */
public record RecallCalibration(
    String field,
    String layout,
    long documents,
    int segments,
    String measuredAt,
    Cost cost,
    boolean complete,
    Map<QueryKind, String> querySources,
    List<Curve> curves) {

  /**
   * What a calibration cost: wall time, and the work itself (which does not depend on the machine's
   * load): searches run, candidates they fetched in all, and dot products of the exact truth.
   *
   * @param seconds wall time of the whole measurement
   * @param truthSeconds wall time of the exact truth passes
   * @param searches approximate searches run (neighbourhood lookups and the ladder)
   * @param candidates candidates those searches fetched, summed
   * @param dotProducts full-precision dot products of the truth passes
   */
  public record Cost(
      double seconds, double truthSeconds, long searches, long candidates, long dotProducts) {

    String encode() {
      return String.format(
          Locale.ROOT,
          "seconds=%.3f truth=%.3f searches=%d candidates=%d dots=%d",
          seconds,
          truthSeconds,
          searches,
          candidates,
          dotProducts);
    }

    static Cost decode(String text) {
      Map<String, String> values = new LinkedHashMap<>();
      for (String part : text.trim().split(" ")) {
        int eq = part.indexOf('=');
        values.put(part.substring(0, eq), part.substring(eq + 1));
      }
      return new Cost(
          Double.parseDouble(values.get("seconds")),
          Double.parseDouble(values.get("truth")),
          Long.parseLong(values.get("searches")),
          Long.parseLong(values.get("candidates")),
          Long.parseLong(values.get("dots")));
    }
  }

  /** The format line of {@link #encode()}. */
  static final String FORMAT = "mmsearch.recall v1";

  /**
   * One measured curve.
   *
   * @param kind the queries' kind
   * @param selectivity share of the documents the filter accepted (1: no filter)
   * @param reranked true: the candidates were ranked by the exact score (the default search);
   *     false: by the graph's own (possibly quantized) score
   * @param curve recall by window and candidate count
   */
  public record Curve(QueryKind kind, double selectivity, boolean reranked, RecallCurve curve) {
    public Curve {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(curve, "curve");
      if (!(selectivity > 0 && selectivity <= 1)) {
        throw new IllegalArgumentException("selectivity must be in (0, 1], got " + selectivity);
      }
    }
  }

  public RecallCalibration {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(measuredAt, "measuredAt");
    Objects.requireNonNull(cost, "cost");
    querySources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(querySources));
    curves = List.copyOf(curves);
    if (curves.isEmpty()) {
      throw new IllegalArgumentException("a calibration needs at least one curve");
    }
  }

  /** The commit user data key under which the calibration of {@code field} is stored. */
  public static String userDataKey(String field) {
    return "mmsearch.recall." + field;
  }

  /**
   * The calibration of {@code field} stored in commit user data, if any.
   *
   * @throws IllegalArgumentException if the stored value is not a readable calibration; the message
   *     names the key
   */
  public static Optional<RecallCalibration> fromUserData(
      Map<String, String> userData, String field) {
    String value = userData.get(userDataKey(field));
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "commit user data " + userDataKey(field) + ": " + e.getMessage(), e);
    }
  }

  /** This calibration as a commit user data entry ({@link #userDataKey}, {@link #encode()}). */
  public Map.Entry<String, String> toUserData() {
    return Map.entry(userDataKey(field), encode());
  }

  /** The kinds with at least one curve. */
  public List<QueryKind> kinds() {
    return curves.stream().map(Curve::kind).distinct().sorted().toList();
  }

  /** The unfiltered curve of a kind, if measured. */
  public Optional<RecallCurve> curve(QueryKind kind, boolean reranked) {
    return curves.stream()
        .filter(c -> c.kind() == kind && c.reranked() == reranked && c.selectivity() == 1.0)
        .map(Curve::curve)
        .findFirst();
  }

  /**
   * The candidate count for a search.
   *
   * @param kind the kind of the query vector (a request mixing kinds asks for each and takes the
   *     larger count)
   * @param window the depth the request reads, {@code max(k, from + size)}
   * @param target the recall@window to reach, in (0, 1]
   * @param selectivity share of the documents the request's filter accepts (1: no filter)
   * @param reranked whether the candidates are re-ranked exactly
   */
  public CandidateChoice choose(
      QueryKind kind, int window, double target, double selectivity, boolean reranked) {
    if (!(selectivity >= 0 && selectivity <= 1)) {
      throw new IllegalArgumentException("selectivity must be in [0, 1], got " + selectivity);
    }
    List<String> basis = new ArrayList<>();
    QueryKind measured = kind;
    if (curves.stream().noneMatch(c -> c.kind() == kind)) {
      measured = curves.get(0).kind();
      basis.add(measured.label() + " queries stand in for " + kind.label() + " queries");
    }
    List<Curve> candidatesCurves = curvesOf(measured, reranked);
    if (candidatesCurves.isEmpty()) {
      candidatesCurves = curvesOf(measured, !reranked);
      basis.add("curve " + (reranked ? "without" : "with") + " re-rank stands in");
    }
    Curve unfiltered =
        candidatesCurves.stream()
            .filter(c -> c.selectivity() == 1.0)
            .findFirst()
            .orElse(candidatesCurves.get(candidatesCurves.size() - 1));
    CandidateChoice plain = chooseOn(unfiltered.curve(), window, target);
    if (selectivity >= 1.0) {
      return withBasis(plain, basis, "unfiltered");
    }
    long accepted = (long) Math.ceil(selectivity * documents);
    if (accepted <= plain.candidates()) {
      // Lucene searches a segment exactly when its filter accepts no more than its share of the
      // candidates; with the whole filter this small, every segment is searched exactly.
      basis.add("the filter accepts " + accepted + " documents: exact search");
      return new CandidateChoice(
          Math.max(window, plain.candidates()), true, 1.0, 0.0, String.join("; ", basis));
    }
    List<Curve> filtered =
        candidatesCurves.stream().sorted(Comparator.comparingDouble(Curve::selectivity)).toList();
    if (filtered.size() == 1) {
      return withBasis(plain, basis, "filter not calibrated, unfiltered curve");
    }
    Curve below = null;
    Curve above = null;
    for (Curve c : filtered) {
      if (c.selectivity() <= selectivity) {
        below = c;
      }
      if (c.selectivity() >= selectivity && above == null) {
        above = c;
      }
    }
    if (below == null) {
      below = above;
    }
    if (above == null) {
      above = below;
    }
    CandidateChoice a = chooseOn(below.curve(), window, target);
    CandidateChoice b = chooseOn(above.curve(), window, target);
    double t =
        below == above
            ? 0
            : (Math.log(selectivity) - Math.log(below.selectivity()))
                / (Math.log(above.selectivity()) - Math.log(below.selectivity()));
    int count = (int) Math.ceil(a.candidates() + t * (b.candidates() - a.candidates()));
    double recall =
        below.curve().recallAt(window, count)
            + t * (above.curve().recallAt(window, count) - below.curve().recallAt(window, count));
    double se = Math.max(a.standardError(), b.standardError());
    basis.add(
        String.format(
            Locale.ROOT,
            "filter selectivity %.4f between calibrated %.4f and %.4f",
            selectivity,
            below.selectivity(),
            above.selectivity()));
    return new CandidateChoice(
        Math.max(window, count),
        a.reachable() && b.reachable(),
        recall,
        se,
        String.join("; ", basis));
  }

  /** The recall to expect from a search that fetched {@code count} candidates (any settings). */
  public CandidateChoice estimate(
      QueryKind kind, int window, int count, double selectivity, boolean reranked) {
    if (selectivity < 1.0 && (long) Math.ceil(selectivity * documents) <= count) {
      return new CandidateChoice(count, true, 1.0, 0.0, "the filter is small enough: exact search");
    }
    QueryKind measured =
        curves.stream().anyMatch(c -> c.kind() == kind) ? kind : curves.get(0).kind();
    List<Curve> options = curvesOf(measured, reranked);
    if (options.isEmpty()) {
      options = curvesOf(measured, !reranked);
    }
    Curve nearest =
        options.stream()
            .min(
                Comparator.comparingDouble(
                    c ->
                        Math.abs(
                            Math.log(c.selectivity()) - Math.log(Math.max(selectivity, 1e-9)))))
            .orElseThrow();
    RecallCurve curve = nearest.curve();
    return new CandidateChoice(
        count,
        true,
        curve.recallAt(window, count),
        curve.standardErrorAt(window, count),
        measured == kind
            ? "calibrated " + measured.label() + " queries"
            : measured.label() + " queries stand in for " + kind.label() + " queries");
  }

  private List<Curve> curvesOf(QueryKind kind, boolean reranked) {
    return curves.stream().filter(c -> c.kind() == kind && c.reranked() == reranked).toList();
  }

  private static CandidateChoice chooseOn(RecallCurve curve, int window, double target) {
    OptionalInt count = curve.candidatesFor(window, target);
    if (count.isPresent()) {
      int c = count.getAsInt();
      return new CandidateChoice(
          c, true, curve.recallAt(window, c), curve.standardErrorAt(window, c), "");
    }
    int[] ladder = curve.candidates();
    int widest = Math.max(window, ladder[ladder.length - 1]);
    if (window > ladder[ladder.length - 1]) {
      widest = (int) Math.min(Integer.MAX_VALUE / 4, (long) window * 4);
    }
    return new CandidateChoice(
        widest, false, curve.recallAt(window, widest), curve.standardErrorAt(window, widest), "");
  }

  private static CandidateChoice withBasis(CandidateChoice c, List<String> basis, String what) {
    List<String> all = new ArrayList<>(basis);
    all.add(what);
    return new CandidateChoice(
        c.candidates(),
        c.reachable(),
        c.estimatedRecall(),
        c.standardError(),
        String.join("; ", all));
  }

  /** The calibration as text: the commit user data value, read back by {@link #decode}. */
  public String encode() {
    StringBuilder s = new StringBuilder(FORMAT).append('\n');
    s.append("field ").append(field).append('\n');
    s.append("layout ").append(layout).append('\n');
    s.append("documents ").append(documents).append('\n');
    s.append("segments ").append(segments).append('\n');
    s.append("measured ")
        .append(measuredAt)
        .append(' ')
        .append(complete ? "complete" : "partial")
        .append('\n');
    s.append("cost ").append(cost.encode()).append('\n');
    querySources.forEach(
        (kind, source) ->
            s.append("queries ")
                .append(kind.label())
                .append(' ')
                .append(oneLine(source))
                .append('\n'));
    for (Curve c : curves) {
      RecallCurve r = c.curve();
      s.append("curve ")
          .append(c.kind().label())
          .append(' ')
          .append(c.selectivity())
          .append(' ')
          .append(c.reranked() ? "rerank" : "approximate")
          .append(' ')
          .append(r.queries())
          .append('\n');
      s.append("windows").append(ints(r.windows())).append('\n');
      s.append("candidates").append(ints(r.candidates())).append('\n');
      for (int w = 0; w < r.windows().length; w++) {
        s.append("recall ").append(r.windows()[w]).append(doubles(r.recall()[w])).append('\n');
        s.append("se ").append(r.windows()[w]).append(doubles(r.standardError()[w])).append('\n');
      }
    }
    return s.toString();
  }

  /**
   * Reads a calibration written by {@link #encode()}.
   *
   * @throws IllegalArgumentException if the text is not a calibration of this format; the message
   *     says what is wrong
   */
  public static RecallCalibration decode(String text) {
    List<String> lines = text.lines().toList();
    if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
      throw new IllegalArgumentException(
          "not a recall calibration of format '" + FORMAT + "': starts with " + first(lines));
    }
    Map<String, String> header = new LinkedHashMap<>();
    Map<QueryKind, String> sources = new LinkedHashMap<>();
    List<Curve> curves = new ArrayList<>();
    int i = 1;
    try {
      while (i < lines.size() && !lines.get(i).startsWith("curve ")) {
        String line = lines.get(i++);
        int space = line.indexOf(' ');
        String key = line.substring(0, space);
        String value = line.substring(space + 1);
        if (key.equals("queries")) {
          int s = value.indexOf(' ');
          sources.put(QueryKind.ofLabel(value.substring(0, s)), value.substring(s + 1));
        } else {
          header.put(key, value);
        }
      }
      while (i < lines.size()) {
        String[] head = lines.get(i++).split(" ");
        QueryKind kind = QueryKind.ofLabel(head[1]);
        double selectivity = Double.parseDouble(head[2]);
        boolean reranked = head[3].equals("rerank");
        int queries = Integer.parseInt(head[4]);
        int[] windows = parseInts(lines.get(i++), "windows");
        int[] candidates = parseInts(lines.get(i++), "candidates");
        double[][] recall = new double[windows.length][];
        double[][] se = new double[windows.length][];
        for (int w = 0; w < windows.length; w++) {
          recall[w] = parseDoubles(lines.get(i++), "recall " + windows[w]);
          se[w] = parseDoubles(lines.get(i++), "se " + windows[w]);
        }
        curves.add(
            new Curve(
                kind,
                selectivity,
                reranked,
                new RecallCurve(windows, candidates, recall, se, queries)));
      }
      String[] measured = header.get("measured").split(" ");
      return new RecallCalibration(
          header.get("field"),
          header.get("layout"),
          Long.parseLong(header.get("documents")),
          Integer.parseInt(header.get("segments")),
          measured[0],
          Cost.decode(header.get("cost")),
          measured[1].equals("complete"),
          sources,
          curves);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "malformed recall calibration at line " + i + ": " + e.getMessage(), e);
    }
  }

  /** A summary for people: the candidates each target needs, per kind, for a window. */
  public String describe(int window, double... targets) {
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s: %,d documents in %d segment(s), measured %s in %.1f s%s",
                field,
                documents,
                segments,
                measuredAt,
                cost.seconds(),
                complete ? "" : " (stopped by its time budget)"));
    for (QueryKind kind : kinds()) {
      s.append(
          String.format(
              Locale.ROOT,
              "%n  %s queries (%s):",
              kind.label(),
              querySources.getOrDefault(kind, "?")));
      for (double t : targets) {
        CandidateChoice c = choose(kind, window, t, 1.0, true);
        s.append(
            String.format(
                Locale.ROOT,
                " recall@%d %.2f -> %s;",
                window,
                t,
                c.reachable()
                    ? c.candidates() + " candidates"
                    : "not reached ("
                        + String.format(Locale.ROOT, "%.4f", c.estimatedRecall())
                        + " at "
                        + c.candidates()
                        + ")"));
      }
    }
    return s.toString();
  }

  private static String first(List<String> lines) {
    return lines.isEmpty() ? "nothing" : "'" + lines.get(0) + "'";
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }

  private static String ints(int[] values) {
    StringBuilder s = new StringBuilder();
    for (int v : values) {
      s.append(' ').append(v);
    }
    return s.toString();
  }

  private static String doubles(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(' ').append(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.5f", v));
    }
    return s.toString();
  }

  private static int[] parseInts(String line, String key) {
    String[] parts = expect(line, key);
    int[] values = new int[parts.length];
    for (int j = 0; j < parts.length; j++) {
      values[j] = Integer.parseInt(parts[j]);
    }
    return values;
  }

  private static double[] parseDoubles(String line, String key) {
    String[] parts = expect(line, key);
    double[] values = new double[parts.length];
    for (int j = 0; j < parts.length; j++) {
      values[j] = parts[j].equals("-") ? Double.NaN : Double.parseDouble(parts[j]);
    }
    return values;
  }

  private static String[] expect(String line, String key) {
    if (!line.startsWith(key + " ") && !line.equals(key)) {
      throw new IllegalArgumentException("expected '" + key + "', got '" + line + "'");
    }
    String rest = line.substring(key.length()).trim();
    return rest.isEmpty() ? new String[0] : rest.split(" ");
  }
}
