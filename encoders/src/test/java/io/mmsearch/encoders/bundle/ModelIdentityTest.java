package io.mmsearch.encoders.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The model identity as recorded next to vectors: commit user data, collection properties. */
class ModelIdentityTest {
  private static final ModelIdentity MODEL = new ModelIdentity("sha256:abcd", 64);

  @Test
  void entriesReadBackToTheSameIdentity() {
    assertEquals(
        Map.of("mmsearch.model.fingerprint", "sha256:abcd", "mmsearch.model.dimension", "64"),
        MODEL.toEntries());
    assertEquals(Optional.of(MODEL), ModelIdentity.fromEntries(MODEL.toEntries(), "commit"));
  }

  @Test
  void nonStringValuesAreReadThroughTheirText() {
    Map<String, Object> json =
        Map.of(ModelIdentity.FINGERPRINT_KEY, "sha256:abcd", ModelIdentity.DIMENSION_KEY, 64);
    assertEquals(Optional.of(MODEL), ModelIdentity.fromEntries(json, "collection properties"));
  }

  @Test
  void nothingRecordedIsEmptyNotAnError() {
    assertEquals(Optional.empty(), ModelIdentity.fromEntries(Map.of("other", "x"), "commit"));
  }

  @Test
  void halfARecordIsAnErrorNamingWhereAndBothKeys() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelIdentity.fromEntries(
                    Map.of(ModelIdentity.FINGERPRINT_KEY, "sha256:abcd"), "commit user data"));
    assertTrue(e.getMessage().startsWith("commit user data has only one of"), e.getMessage());
    assertTrue(e.getMessage().contains(ModelIdentity.DIMENSION_KEY), e.getMessage());
  }

  @Test
  void aDimensionThatIsNotANumberIsAnErrorQuotingIt() {
    Map<String, String> bad =
        Map.of(ModelIdentity.FINGERPRINT_KEY, "sha256:abcd", ModelIdentity.DIMENSION_KEY, "wide");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelIdentity.fromEntries(bad, "props"));
    assertEquals("props mmsearch.model.dimension is not a number: 'wide'", e.getMessage());
  }

  @Test
  void blankFingerprintsAndEmptyDimensionsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ModelIdentity(" ", 8));
    assertThrows(IllegalArgumentException.class, () -> new ModelIdentity("sha256:abcd", 0));
  }
}
