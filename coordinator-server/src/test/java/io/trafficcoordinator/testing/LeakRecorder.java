package io.trafficcoordinator.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Records every buffer leak Netty's detector reports in the test JVM. Installed when the JUnit
 * launcher session opens, before any Netty buffer class is loaded, so that every detector Netty
 * creates is ours; the surefire configuration runs the detector at paranoid level.
 * {@link LeakCheckExtension} fails a test class that leaked.
 */
public final class LeakRecorder implements LauncherSessionListener {

  private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Factory());
  }

  /** Leaks reported since the last call, removed from the record. */
  public static List<String> drain() {
    List<String> leaks = new ArrayList<>();
    String leak;
    while ((leak = LEAKS.poll()) != null) {
      leaks.add(leak);
    }
    return leaks;
  }

  private static final class Factory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      LEAKS.add(resourceType + " leaked:" + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      LEAKS.add(resourceType + " leaked (no access records)");
      super.reportUntracedLeak(resourceType);
    }
  }
}
