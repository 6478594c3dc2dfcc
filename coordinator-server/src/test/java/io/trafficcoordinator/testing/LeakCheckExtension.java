package io.trafficcoordinator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test class: forces a garbage collection, makes Netty's detector look at what was
 * collected, and fails the class if any buffer leaked. Registered for every class through
 * JUnit's extension auto-detection (see junit-platform.properties).
 */
public final class LeakCheckExtension implements AfterAllCallback {

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (int round = 0; round < 3; round++) {
      System.gc();
      // Phantom references are enqueued by the reference handler thread: give it a moment, then
      // allocate, because the detector only polls its queue when a new buffer is tracked.
      Thread.sleep(100);
      for (ByteBufAllocator allocator : new ByteBufAllocator[] {
          ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT}) {
        for (int i = 0; i < 4; i++) {
          ByteBuf probe = allocator.directBuffer(64);
          probe.release();
          probe = allocator.heapBuffer(64);
          probe.release();
        }
      }
    }
    assertThat(LeakRecorder.drain()).as("Netty buffer leaks reported during " + context.getDisplayName()).isEmpty();
  }
}
