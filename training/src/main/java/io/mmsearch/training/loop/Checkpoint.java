package io.mmsearch.training.loop;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.text.Vocabulary;
import io.mmsearch.training.model.DualEncoder;
import io.mmsearch.training.model.DualEncoderConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A training checkpoint on disk: a directory with {@code checkpoint.json} ({@link
 * CheckpointState}), {@code model.params} (DJL parameter encoding) and, for a BiLSTM text tower,
 * {@code vocab.txt} (a head on a frozen backbone has no vocabulary of its own).
 *
 * <p>Writes go to a sibling temporary directory that replaces the old one only when complete, so an
 * interrupted run never leaves a half-written checkpoint. Loading refuses a checkpoint of another
 * architecture with an error naming both.
 */
public final class Checkpoint {

  static final String STATE_FILE = "checkpoint.json";
  static final String PARAMS_FILE = "model.params";
  static final String VOCAB_FILE = "vocab.txt";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final CheckpointState state;
  private final Vocabulary vocabulary;

  private Checkpoint(Path directory, CheckpointState state, Vocabulary vocabulary) {
    this.directory = directory;
    this.state = state;
    this.vocabulary = vocabulary;
  }

  /** Whether {@code directory} holds a checkpoint. */
  public static boolean exists(Path directory) {
    return Files.isRegularFile(directory.resolve(STATE_FILE))
        && Files.isRegularFile(directory.resolve(PARAMS_FILE));
  }

  /**
   * Reads the state and vocabulary of the checkpoint in {@code directory} (weights stay on disk
   * until {@link #loadInto}).
   *
   * @throws IOException naming the directory when it is not a readable checkpoint
   */
  public static Checkpoint read(Path directory) throws IOException {
    if (!exists(directory)) {
      throw new IOException(
          "no checkpoint in "
              + directory
              + " (expected "
              + STATE_FILE
              + " and "
              + PARAMS_FILE
              + ")");
    }
    CheckpointState state;
    try {
      state = JSON.readValue(directory.resolve(STATE_FILE).toFile(), CheckpointState.class);
    } catch (IOException e) {
      throw new IOException(
          "checkpoint " + directory + " has an unreadable " + STATE_FILE + ": " + e.getMessage(),
          e);
    }
    Path vocab = directory.resolve(VOCAB_FILE);
    return new Checkpoint(directory, state, Files.exists(vocab) ? Vocabulary.load(vocab) : null);
  }

  /** Writes a checkpoint atomically (replacing any previous one in {@code directory}). */
  public static Checkpoint write(
      Path directory, CheckpointState state, DualEncoder model, Vocabulary vocabulary)
      throws IOException {
    Path parent = directory.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = freshSibling(directory, ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(Files.newOutputStream(staging.resolve(PARAMS_FILE))))) {
      model.saveParameters(out);
    }
    if (vocabulary != null) {
      vocabulary.save(staging.resolve(VOCAB_FILE));
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(staging.resolve(STATE_FILE).toFile(), state);
    if (Files.exists(directory)) {
      Path old = freshSibling(directory, ".old");
      Files.move(directory, old.resolve("c"), StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
    } else {
      Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
    }
    return new Checkpoint(directory, state, vocabulary);
  }

  /**
   * Loads the weights into {@code model}, which must already be initialised.
   *
   * @throws IOException if the model's architecture differs from the checkpoint's, naming both, or
   *     the weights cannot be read
   */
  public void loadInto(DualEncoder model, NDManager manager) throws IOException {
    DualEncoderConfig expected = model.config();
    if (!expected.equals(state.architecture())) {
      throw new IOException(
          "checkpoint "
              + directory
              + " is of another architecture: it has "
              + state.architecture()
              + ", this run builds "
              + expected);
    }
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(Files.newInputStream(directory.resolve(PARAMS_FILE))))) {
      model.loadParameters(manager, in);
    } catch (MalformedModelException | RuntimeException e) {
      throw new IOException(
          "checkpoint " + directory + " has unreadable weights: " + e.getMessage(), e);
    }
  }

  /** Builds a model of the checkpoint's architecture and loads its weights (inference use). */
  public DualEncoder loadModel(NDManager manager) throws IOException {
    DualEncoder model = new DualEncoder(state.architecture());
    model.initialize(manager);
    loadInto(model, manager);
    return model;
  }

  public Path directory() {
    return directory;
  }

  public CheckpointState state() {
    return state;
  }

  /** The word vocabulary of a BiLSTM text tower, or null for a backbone head. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** Copies this checkpoint to {@code target} (replacing it). */
  public Checkpoint copyTo(Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = freshSibling(target, ".tmp");
    for (String f : new String[] {STATE_FILE, PARAMS_FILE, VOCAB_FILE}) {
      if (Files.exists(directory.resolve(f))) {
        Files.copy(directory.resolve(f), staging.resolve(f));
      }
    }
    if (Files.exists(target)) {
      deleteTree(target);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    return new Checkpoint(target, state, vocabulary);
  }

  /** A new, empty directory beside {@code path} (default permissions, unlike temp dirs). */
  private static Path freshSibling(Path path, String suffix) throws IOException {
    Path absolute = path.toAbsolutePath();
    for (int attempt = 0; ; attempt++) {
      Path candidate =
          absolute.resolveSibling(absolute.getFileName() + suffix + "-" + System.nanoTime());
      try {
        return Files.createDirectory(candidate);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      paths
          .sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
