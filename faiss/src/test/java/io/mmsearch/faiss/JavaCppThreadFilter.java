package io.mmsearch.faiss;

import com.carrotsearch.randomizedtesting.ThreadFilter;

/**
 * JavaCPP starts one daemon "JavaCPP Deallocator" thread per JVM the first time a native object is
 * created; it lives as long as the JVM and is not a leak of the code under test. Test classes that
 * touch FAISS add {@code @ThreadLeakFilters(defaultFilters = true, filters =
 * JavaCppThreadFilter.class)}.
 */
public final class JavaCppThreadFilter implements ThreadFilter {
  @Override
  public boolean reject(Thread t) {
    return "JavaCPP Deallocator".equals(t.getName());
  }
}
