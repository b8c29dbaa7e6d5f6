package io.mmsearch.encoders.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {

  @Test
  void givesDirectNativeOrderBuffersLimitedToTheRequest() {
    ByteBuffer b = new DirectBufferPool(2).acquire(96);
    assertTrue(b.isDirect());
    assertEquals(ByteOrder.nativeOrder(), b.order());
    assertEquals(0, b.position());
    assertEquals(96, b.limit());
  }

  @Test
  void reusesAReleasedBufferThatIsLargeEnough() {
    DirectBufferPool pool = new DirectBufferPool(2);
    ByteBuffer first = pool.acquire(128);
    first.position(40);
    pool.release(first);
    ByteBuffer second = pool.acquire(64);
    assertSame(first, second);
    assertEquals(0, second.position());
    assertEquals(64, second.limit());
  }

  @Test
  void replacesAReleasedBufferThatIsTooSmall() {
    DirectBufferPool pool = new DirectBufferPool(2);
    ByteBuffer small = pool.acquire(16);
    pool.release(small);
    ByteBuffer large = pool.acquire(1024);
    assertNotSame(small, large);
    assertEquals(1024, large.capacity());
  }

  @Test
  void keepsAtMostMaxPooledIdleBuffers() {
    DirectBufferPool pool = new DirectBufferPool(1);
    ByteBuffer a = pool.acquire(8);
    ByteBuffer b = pool.acquire(8);
    pool.release(a);
    pool.release(b);
    assertSame(a, pool.acquire(8));
    assertNotSame(b, pool.acquire(8));
  }
}
