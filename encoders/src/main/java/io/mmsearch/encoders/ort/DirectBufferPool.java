package io.mmsearch.encoders.ort;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reusable native-order direct buffers for input tensors.
 *
 * <p>Why: ONNX Runtime wraps a direct buffer without copying, but copies a heap array into freshly
 * allocated (and zeroed) native memory on every call; for a 32-image batch of 64x64 pixels that
 * allocation alone costs several times the graph run ({@code mmsearch bench ort}, {@code
 * tensor+run} vs {@code direct+run}). Keeping a few buffers around removes it.
 *
 * <p>Thread-safe. Holds at most {@code maxPooled} idle buffers; a buffer too small for a request is
 * dropped for the garbage collector and a larger one allocated, so the pool converges to the
 * largest batch callers use.
 */
final class DirectBufferPool {
  private final ConcurrentLinkedDeque<ByteBuffer> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final int maxPooled;

  DirectBufferPool(int maxPooled) {
    this.maxPooled = maxPooled;
  }

  /** A cleared buffer with at least {@code bytes} remaining, limit set to {@code bytes}. */
  ByteBuffer acquire(int bytes) {
    ByteBuffer b = idle.pollFirst();
    if (b != null) {
      idleCount.decrementAndGet();
      if (b.capacity() >= bytes) {
        b.clear().limit(bytes);
        return b;
      }
    }
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  /** Returns a buffer no tensor uses any more. */
  void release(ByteBuffer b) {
    if (idleCount.incrementAndGet() <= maxPooled) {
      idle.offerFirst(b);
    } else {
      idleCount.decrementAndGet();
    }
  }

  /** Drops every idle buffer. */
  void clear() {
    while (idle.pollFirst() != null) {
      idleCount.decrementAndGet();
    }
  }
}
