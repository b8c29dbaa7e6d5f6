package io.mmsearch.tools.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.search.SwappingReferenceManager;
import io.mmsearch.tools.search.SearchSession;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The indexes a server answers from: the live one, and optionally a shadow built with another
 * model, which requests name with {@code ?model=}. {@link #swap()} exchanges the two atomically,
 * {@link #load} opens another index while the server serves; both with Lucene's {@link
 * org.apache.lucene.search.ReferenceManager} semantics ({@link SwappingReferenceManager}): every
 * request {@link #acquire()}s the current {@link Roster} and releases it when done, so a request in
 * flight finishes on the indexes it started with, and an index no roster names any more is closed
 * when the last request using it ends.
 *
 * <p>Ownership: sessions given to {@link #of} stay the caller's (closed by the caller after the
 * server stopped); sessions {@link #load}ed here are closed here, when they retire or at {@link
 * #close()}. Thread-safe; swaps and loads are serialised.
 */
final class ServedModels implements Closeable {

  /** Opens a session over an index with a bundle (in production {@link SearchSession#open}). */
  @FunctionalInterface
  interface SessionOpener {
    SearchSession open(Path index, Path bundle) throws IOException;
  }

  /** One served index and its model; counted by the rosters that name it. */
  static final class Served {
    private final SearchSession session;
    private final Path index;
    private final boolean owned;
    private final AtomicInteger rosters = new AtomicInteger();

    Served(SearchSession session, Path index, boolean owned) {
      this.session = Objects.requireNonNull(session);
      this.index = Objects.requireNonNull(index);
      this.owned = owned;
    }

    SearchSession session() {
      return session;
    }

    Path index() {
      return index;
    }

    ModelIdentity model() {
      return session.modelIdentity();
    }

    /** The bundle's name ({@code bundle.json}), for people. */
    String modelName() {
      return session.encoders().bundle().name();
    }

    /** Whether a {@code ?model=} value names this model: its bundle name or fingerprint prefix. */
    boolean answersTo(String value) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      String fingerprint = model().fingerprint().toLowerCase(Locale.ROOT);
      return v.equals(modelName().toLowerCase(Locale.ROOT))
          || (v.length() >= MIN_FINGERPRINT_PREFIX && fingerprint.startsWith(v));
    }

    private void hold() {
      rosters.incrementAndGet();
    }

    private void letGo() throws IOException {
      if (rosters.decrementAndGet() == 0 && owned) {
        session.close();
      }
    }
  }

  /** Shortest fingerprint prefix {@code ?model=} accepts. */
  static final int MIN_FINGERPRINT_PREFIX = 8;

  /** Which served index is live and which is the shadow. Immutable. */
  static final class Roster implements Closeable {
    private final Served live;
    private final Served shadow;

    private Roster(Served live, Served shadow) {
      this.live = Objects.requireNonNull(live);
      this.shadow = shadow;
      live.hold();
      if (shadow != null) {
        shadow.hold();
      }
    }

    Served live() {
      return live;
    }

    /** The shadow, or null. */
    Served shadow() {
      return shadow;
    }

    /**
     * The index a request asks for: the live one when {@code model} is null or blank, else the one
     * whose bundle name or fingerprint (a prefix of at least {@value #MIN_FINGERPRINT_PREFIX} hex
     * digits) it gives.
     *
     * @throws HttpError 400 naming the served models if none (or both) matches
     */
    Served pick(String model) {
      if (model == null || model.isBlank()) {
        return live;
      }
      List<Served> matches = new ArrayList<>();
      for (Served s : all()) {
        if (s.answersTo(model)) {
          matches.add(s);
        }
      }
      if (matches.size() == 1) {
        return matches.get(0);
      }
      StringBuilder served = new StringBuilder();
      for (Served s : all()) {
        served
            .append(served.isEmpty() ? "" : ", ")
            .append(s.modelName())
            .append(" (")
            .append(s.model().fingerprint(), 0, 12)
            .append(s == live ? ", live)" : ", shadow)");
      }
      throw new HttpError(
          400,
          (matches.isEmpty() ? "no served model is '" : "more than one served model is '")
              + model
              + "'; served: "
              + served
              + "; give a bundle name or at least "
              + MIN_FINGERPRINT_PREFIX
              + " hex digits of a fingerprint");
    }

    /** The role of a served index in this roster: {@code live} or {@code shadow}. */
    String role(Served s) {
      return s == live ? "live" : "shadow";
    }

    List<Served> all() {
      return shadow == null ? List.of(live) : List.of(live, shadow);
    }

    /** What a response says about the model that answered. */
    void describe(Served s, ObjectNode into) {
      into.put("name", s.modelName());
      into.put("fingerprint", s.model().fingerprint());
      into.put("dimension", s.model().dimension());
      into.put("role", role(s));
    }

    @Override
    public void close() throws IOException {
      try {
        live.letGo();
      } finally {
        if (shadow != null) {
          shadow.letGo();
        }
      }
    }
  }

  private final SwappingReferenceManager<Roster> rosters;
  private final SessionOpener opener;

  private ServedModels(Roster first, SessionOpener opener) {
    this.rosters = new SwappingReferenceManager<>(first);
    this.opener = opener;
  }

  /**
   * The indexes a server starts with; the sessions stay the caller's.
   *
   * @param shadow the shadow's session, or null
   * @param shadowIndex its folder, or null
   */
  static ServedModels of(
      SearchSession live,
      Path liveIndex,
      SearchSession shadow,
      Path shadowIndex,
      SessionOpener opener) {
    Served first = new Served(live, liveIndex, false);
    Served second = shadow == null ? null : new Served(shadow, shadowIndex, false);
    return new ServedModels(new Roster(first, second), opener);
  }

  /** The current roster; give it back with {@link #release}. */
  Roster acquire() throws IOException {
    return rosters.acquire();
  }

  void release(Roster roster) throws IOException {
    rosters.release(roster);
  }

  /**
   * Makes the shadow live and the live index the shadow, atomically: requests that start from now
   * on answer from the former shadow by default (and from the former live index with {@code
   * ?model=}); requests in flight finish where they started. Swapping again rolls back.
   *
   * @throws HttpError 409 if there is no shadow to swap to
   */
  synchronized void swap() throws IOException {
    Roster current = rosters.acquire();
    try {
      if (current.shadow() == null) {
        throw new HttpError(
            409,
            "there is no shadow index to swap to; start serve with --shadow-index and"
                + " --shadow-model, or load one (POST /api/admin/shadow)");
      }
      rosters.swap(new Roster(current.shadow(), current.live()));
    } finally {
      rosters.release(current);
    }
  }

  /**
   * Opens {@code index} with {@code bundle} while the server keeps answering, then installs it: as
   * the shadow ({@code live} false; a previous shadow retires), or as the live index ({@code live}
   * true; the previous live index becomes the shadow, the previous shadow retires). A retired index
   * is closed when its last request ends.
   *
   * @throws IOException if the index cannot be opened (nothing changes then)
   */
  synchronized void load(Path index, Path bundle, boolean live) throws IOException {
    Served loaded = new Served(opener.open(index, bundle), index, true);
    Roster current = rosters.acquire();
    Roster next;
    try {
      next = live ? new Roster(loaded, current.live()) : new Roster(current.live(), loaded);
    } finally {
      rosters.release(current);
    }
    rosters.swap(next);
  }

  /** Picks up newer commits of every served index; one failing does not stop the others. */
  void refresh() throws IOException {
    Roster r = rosters.acquire();
    try {
      IOException first = null;
      for (Served s : r.all()) {
        try {
          s.session().refresh();
        } catch (IOException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      rosters.release(r);
    }
  }

  /**
   * Retires every roster; sessions loaded here are closed once their last request ended (at once,
   * when none is in flight). Sessions given to {@link #of} are left to the caller.
   */
  @Override
  public void close() throws IOException {
    rosters.close();
  }
}
