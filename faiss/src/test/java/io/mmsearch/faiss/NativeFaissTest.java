package io.mmsearch.faiss;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import io.mmsearch.lucene.rerank.ExactScorers;
import org.apache.lucene.tests.util.LuceneTestCase;

@ThreadLeakFilters(defaultFilters = true, filters = JavaCppThreadFilter.class)
public class NativeFaissTest extends LuceneTestCase {

  public void testTheBuiltFaissBindingLoads() {
    NativeFaiss.ensureLoaded();
    assertTrue(NativeFaiss.isAvailable());
    assertTrue(NativeFaiss.threads() >= 1);
  }

  public void testLoadFailureNamesLibraryPlatformReasonAndRemedy() {
    FaissUnavailableException e =
        expectThrows(
            FaissUnavailableException.class, () -> NativeFaiss.load(MissingNativeBinding.class));
    String message = e.getMessage();
    assertTrue(message, message.contains("'jniMmsearchNoSuchLibrary'"));
    assertTrue(message, message.contains(MissingNativeBinding.class.getName()));
    assertTrue(message, message.contains("linux-x86_64"));
    assertTrue(message, message.contains("apt-get install g++ libfaiss-dev"));
    assertTrue(message, message.contains("-D" + ExactScorers.KIND_PROPERTY + "=java"));
    // The linker's own explanation is kept, in the message and as the cause.
    assertTrue(e.getCause() instanceof UnsatisfiedLinkError);
    assertTrue(message, message.contains(e.getCause().getMessage()));
  }

  public void testARepeatedLoadFailureRepeatsTheFirstExplanation() {
    String first =
        expectThrows(
                FaissUnavailableException.class, () -> NativeFaiss.load(MissingNativeBinding.class))
            .getMessage();
    String second =
        expectThrows(
                FaissUnavailableException.class, () -> NativeFaiss.load(MissingNativeBinding.class))
            .getMessage();
    assertEquals(first, second);
  }

  public void testThreadCountMustBePositive() {
    expectThrows(IllegalArgumentException.class, () -> NativeFaiss.setThreads(0));
  }
}
