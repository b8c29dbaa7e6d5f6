package io.mmsearch.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One resource per key while it has users, closed when the last one lets go. */
class SharedResourcesTest {
  private final List<String> closed = new ArrayList<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final SharedResources<String, String> shared = new SharedResources<>(closed::add);

  private String load(String key) {
    loads.incrementAndGet();
    return "resource of " + key;
  }

  @Test
  void equalKeysShareOneLoadAndTheLastUserClosesIt() throws IOException {
    SharedResources.Lease<String> first = shared.acquire("a", this::load);
    SharedResources.Lease<String> second = shared.acquire("a", this::load);

    assertSame(first.get(), second.get());
    assertEquals(1, loads.get());
    first.close();
    assertEquals(List.of(), closed, "still in use");
    second.close();
    assertEquals(List.of("resource of a"), closed);
    assertEquals(0, shared.size());
  }

  @Test
  void closingALeaseTwiceReleasesItOnce() throws IOException {
    SharedResources.Lease<String> first = shared.acquire("a", this::load);
    SharedResources.Lease<String> second = shared.acquire("a", this::load);
    first.close();
    first.close();

    assertEquals(1, shared.size(), "the second user still holds it");
    second.close();
    assertEquals(0, shared.size());
  }

  @Test
  void aKeyAcquiredAgainAfterItsLastReleaseIsLoadedAgain() throws IOException {
    shared.acquire("a", this::load).close();
    shared.acquire("a", this::load).close();

    assertEquals(2, loads.get());
  }

  @Test
  void aFailedLoadKeepsNothing() {
    assertThrows(
        IOException.class,
        () ->
            shared.acquire(
                "a",
                key -> {
                  throw new IOException("no bundle");
                }));
    assertEquals(0, shared.size());
  }
}
