package io.mmsearch.tools.ingest;

import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.manifest.ManifestProblem;
import io.mmsearch.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the inputs of {@code mmsearch index} into {@link IngestItem}s, streaming: folders are
 * walked recursively (following symbolic links, with loops detected and reported), manifests
 * ({@code .jsonl}, {@code .ndjson}, {@code .csv}) are read line by line, and any other file is
 * taken as one image whose id is its file name.
 *
 * <p>Ids are unique across all inputs of a run: a later item with an id already seen is reported as
 * a duplicate and skipped. Hidden files and folders (name starting with {@code .}) are skipped
 * silently. Whether a file really is an image is decided later, from its bytes.
 *
 * <p>Memory: the set of ids seen (about 100 bytes per id). Not thread-safe; one scan at a time.
 */
public final class InputScanner {
  /** Stage name of problems found while scanning inputs. */
  public static final String STAGE_SCAN = "scan";

  private final boolean classFromFolder;
  private final boolean confine;
  private final Set<String> seenIds = new HashSet<>();
  private boolean complete = true;

  /**
   * @param classFromFolder take the class of a file found in a folder from its parent folder's name
   *     (files directly in the input folder get none)
   * @param confine reject manifest image paths outside the manifest's folder even when absolute
   *     (see {@link ManifestReader.Builder#confine})
   */
  public InputScanner(boolean classFromFolder, boolean confine) {
    this.classFromFolder = classFromFolder;
    this.confine = confine;
  }

  /**
   * Scans every input in order.
   *
   * @param items receives each item; may block (a bounded queue) to apply back-pressure
   * @param problems receives each rejected item or unreadable input
   */
  public void scan(
      List<Path> inputs, Consumer<IngestItem> items, Consumer<ManifestProblem> problems) {
    for (Path input : inputs) {
      scanOne(input.toAbsolutePath().normalize(), items, problems);
    }
  }

  /**
   * The inputs of {@code mmsearch index} as an {@link ItemSource}: a new scanner per scan.
   *
   * @see #InputScanner(boolean, boolean)
   */
  public static ItemSource source(List<Path> inputs, boolean classFromFolder, boolean confine) {
    List<Path> copy = List.copyOf(inputs);
    return (items, problems) -> {
      InputScanner scanner = new InputScanner(classFromFolder, confine);
      scanner.scan(copy, items, problems);
      return scanner.readEveryInput();
    };
  }

  /**
   * Whether every input was read through: false if an input was missing, a manifest or a folder
   * could not be read. Deleting "missing" documents after an incomplete scan would delete documents
   * whose images are merely out of reach.
   */
  public boolean readEveryInput() {
    return complete;
  }

  private void scanOne(Path input, Consumer<IngestItem> items, Consumer<ManifestProblem> problems) {
    if (Files.isDirectory(input)) {
      walk(input, items, problems);
    } else if (!Files.exists(input)) {
      complete = false;
      problems.accept(new ManifestProblem(input.toString(), STAGE_SCAN, "no such file or folder"));
    } else if (ManifestReader.looksLikeManifest(input)) {
      readManifest(input, items, problems);
    } else {
      offer(IngestItem.fromFile(input.getFileName().toString(), input, null), items, problems);
    }
  }

  private void readManifest(
      Path manifest, Consumer<IngestItem> items, Consumer<ManifestProblem> problems) {
    try {
      ManifestReader.builder(manifest)
          .confine(confine)
          .build()
          .read((ManifestEntry e) -> offer(IngestItem.fromManifest(e), items, problems), problems);
    } catch (IOException e) {
      complete = false;
      problems.accept(
          new ManifestProblem(
              manifest.toString(), STAGE_SCAN, "cannot read the manifest: " + describe(e)));
    }
  }

  private void walk(Path root, Consumer<IngestItem> items, Consumer<ManifestProblem> problems) {
    try {
      Files.walkFileTree(
          root,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return !dir.equals(root) && isHidden(dir)
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (isHidden(file)) {
                return FileVisitResult.CONTINUE;
              }
              if (attrs.isSymbolicLink()) {
                // The walk follows links; it hands over the link itself only when its target
                // cannot be reached (dangling, or a loop of links).
                problems.accept(new ManifestProblem(file.toString(), STAGE_SCAN, brokenLink(file)));
                return FileVisitResult.CONTINUE;
              }
              if (!attrs.isRegularFile()) {
                problems.accept(
                    new ManifestProblem(file.toString(), STAGE_SCAN, "not a regular file"));
                return FileVisitResult.CONTINUE;
              }
              {
                Path relative = root.relativize(file);
                String id = relative.toString().replace(file.getFileSystem().getSeparator(), "/");
                String folderClass =
                    classFromFolder && relative.getNameCount() > 1
                        ? file.getParent().getFileName().toString()
                        : null;
                offer(IngestItem.fromFile(id, file, folderClass), items, problems);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (!(e instanceof FileSystemLoopException) && Files.isDirectory(file)) {
                complete = false; // a folder we could not list may hold indexed images
              }
              problems.accept(new ManifestProblem(file.toString(), STAGE_SCAN, describe(e)));
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      complete = false;
      problems.accept(new ManifestProblem(root.toString(), STAGE_SCAN, describe(e)));
    }
  }

  private void offer(
      IngestItem item, Consumer<IngestItem> items, Consumer<ManifestProblem> problems) {
    if (!seenIds.add(item.id())) {
      problems.accept(
          new ManifestProblem(
              item.itemName(),
              STAGE_SCAN,
              "duplicate id " + item.id() + " (already given by an earlier input; first kept)"));
      return;
    }
    items.accept(item);
  }

  private static String brokenLink(Path link) {
    try {
      link.toRealPath();
      return "symbolic link that cannot be followed";
    } catch (IOException e) {
      return describe(e);
    }
  }

  private static boolean isHidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  /** A reason for an I/O failure that a user understands without a stack trace. */
  static String describe(IOException e) {
    Objects.requireNonNull(e);
    if (e instanceof FileSystemLoopException) {
      return "symbolic link loop (the link leads back to a folder being walked)";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file (or a dangling symbolic link)";
    }
    String message = e.getMessage();
    if (message != null && message.contains("Too many levels of symbolic links")) {
      return "symbolic link loop (too many levels of symbolic links)";
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
