package io.mmsearch.training.data;

import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.manifest.ManifestReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads training examples from the two supported layouts.
 *
 * <ul>
 *   <li><b>Manifest</b> (JSONL or CSV, the format {@code mmsearch index} reads): one image per line
 *       with {@code id}, {@code image}, {@code caption} (string or list), optional {@code class}.
 *       The concept of an item is its {@code concept} column if any, else its class, else its id.
 *   <li><b>Folder per class</b>: {@code root/<class>/<image files>} plus {@code
 *       root/descriptions.tsv} with lines {@code class<TAB>description} (any number per class;
 *       blank lines and lines starting with {@code #} are ignored). Every image of a class gets all
 *       of that class's descriptions as captions.
 * </ul>
 *
 * Items that cannot be used (no caption, a class without descriptions, descriptions of a class that
 * has no folder, manifest lines that do not parse) are returned as problems, never thrown.
 */
public final class ExampleSource {

  /** File name of the descriptions of a folder-per-class dataset. */
  public static final String DESCRIPTIONS_FILE = "descriptions.tsv";

  /** Optional manifest column naming what an image shows, finer than its class. */
  public static final String CONCEPT_COLUMN = "concept";

  private static final Set<String> IMAGE_SUFFIXES =
      Set.of(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff");

  private ExampleSource() {}

  /** The examples found, and what was skipped. */
  public record Examples(List<TrainingExample> examples, List<DatasetProblem> problems) {
    public Examples {
      examples = List.copyOf(examples);
      problems = List.copyOf(problems);
    }
  }

  /**
   * Reads {@code data}: a directory is read as a folder-per-class dataset, a file as a manifest.
   *
   * @throws IOException if {@code data} does not exist or cannot be listed or read at all
   */
  public static Examples read(Path data) throws IOException {
    return read(data, false);
  }

  /**
   * Reads {@code data} like {@link #read(Path)}; with {@code keywordCaptions} each keyword of a
   * manifest item (e.g. an emoji's tags) becomes one more caption of it, after its own captions.
   */
  public static Examples read(Path data, boolean keywordCaptions) throws IOException {
    if (!Files.exists(data)) {
      throw new IOException("training data not found: " + data);
    }
    return Files.isDirectory(data) ? readClassFolders(data) : readManifest(data, keywordCaptions);
  }

  /** Reads a JSONL or CSV manifest through the shared {@link ManifestReader}. */
  public static Examples readManifest(Path manifest) throws IOException {
    return readManifest(manifest, false);
  }

  /** Reads a manifest; with {@code keywordCaptions} its keywords become extra captions. */
  public static Examples readManifest(Path manifest, boolean keywordCaptions) throws IOException {
    ManifestReader.Contents contents = ManifestReader.of(manifest).readAll();
    List<DatasetProblem> problems = new ArrayList<>();
    contents.problems().forEach(p -> problems.add(new DatasetProblem(p.item(), p.reason())));
    List<TrainingExample> examples = new ArrayList<>();
    for (ManifestEntry entry : contents.entries()) {
      List<String> captions = entry.captions().stream().filter(c -> !c.isBlank()).toList();
      if (captions.isEmpty()) {
        problems.add(
            new DatasetProblem(entry.location() + " (" + entry.id() + ")", "empty caption"));
        continue;
      }
      if (keywordCaptions && !entry.keywords().isEmpty()) {
        List<String> withKeywords = new ArrayList<>(captions);
        entry.keywords().stream().filter(k -> !k.isBlank()).forEach(withKeywords::add);
        captions = withKeywords;
      }
      String concept = conceptOf(entry);
      examples.add(new TrainingExample(entry.id(), entry.image(), captions, concept));
    }
    return new Examples(examples, problems);
  }

  /**
   * The concept of a manifest entry: its {@code concept} column when present (e.g. the emoji
   * sample's codepoint, shared by the Twemoji and Noto drawings), else its class, else its id.
   */
  static String conceptOf(ManifestEntry entry) {
    String explicit = entry.metadata().get(CONCEPT_COLUMN);
    if (explicit != null && !explicit.isBlank()) {
      return explicit.strip();
    }
    return entry.className() != null ? entry.className() : entry.id();
  }

  /** Reads {@code root/<class>/<images>} with {@code root/descriptions.tsv}. */
  public static Examples readClassFolders(Path root) throws IOException {
    Path descriptionsFile = root.resolve(DESCRIPTIONS_FILE);
    if (!Files.isRegularFile(descriptionsFile)) {
      throw new IOException(
          "folder-per-class dataset "
              + root
              + " needs "
              + DESCRIPTIONS_FILE
              + " with lines 'class<TAB>description'");
    }
    List<DatasetProblem> problems = new ArrayList<>();
    Map<String, List<String>> descriptions = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(descriptionsFile, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int tab = line.indexOf('\t');
      String where = descriptionsFile + ":" + (i + 1);
      if (tab <= 0 || line.substring(tab + 1).isBlank()) {
        problems.add(
            new DatasetProblem(where, "expected 'class<TAB>description', got '" + line + "'"));
        continue;
      }
      descriptions
          .computeIfAbsent(line.substring(0, tab).strip(), k -> new ArrayList<>())
          .add(line.substring(tab + 1).strip());
    }
    Map<String, List<Path>> imagesByClass = new TreeMap<>();
    try (Stream<Path> classDirs = Files.list(root)) {
      for (Path dir : classDirs.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> files = Files.list(dir)) {
          imagesByClass.put(
              dir.getFileName().toString(),
              files
                  .filter(Files::isRegularFile)
                  .filter(ExampleSource::isImageName)
                  .sorted()
                  .toList());
        }
      }
    }
    List<TrainingExample> examples = new ArrayList<>();
    for (Map.Entry<String, List<Path>> e : imagesByClass.entrySet()) {
      List<String> captions = descriptions.get(e.getKey());
      if (captions == null) {
        problems.add(
            new DatasetProblem(
                root.resolve(e.getKey()).toString(),
                "class has no line in "
                    + DESCRIPTIONS_FILE
                    + "; its "
                    + e.getValue().size()
                    + " images are skipped"));
        continue;
      }
      for (Path image : e.getValue()) {
        String id = e.getKey() + "/" + image.getFileName();
        examples.add(new TrainingExample(id, image, captions, e.getKey()));
      }
    }
    for (String cls : descriptions.keySet()) {
      if (!imagesByClass.containsKey(cls)) {
        problems.add(
            new DatasetProblem(
                descriptionsFile + " (class '" + cls + "')",
                "unknown class: no folder " + root.resolve(cls)));
      }
    }
    return new Examples(examples, problems);
  }

  private static boolean isImageName(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot >= 0 && IMAGE_SUFFIXES.contains(name.substring(dot));
  }
}
