package dev.kadmesh.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Samples a long run (heap after GC, live threads, open file descriptors, messages sent and
 * delivered) and checks that resource use levels off: the last third of the run may not sit
 * clearly above its middle third. Prints the samples as a table.
 */
public final class SoakRecorder {
  /** One sample. {@code at} is the run's own clock (virtual time on the simulator). */
  public record Sample(Duration at, long heapBytes, int threads, int fds, long sent,
      long delivered) {

    double deliveryRate() {
      return sent == 0 ? 1 : delivered / (double) sent;
    }
  }

  private final String name;
  private final List<Sample> samples = new ArrayList<>();

  public SoakRecorder(String name) {
    this.name = name;
  }

  /** The run's length: {@code -Dkadmesh.soak.duration} (ISO-8601, e.g. PT2H), else the default. */
  public static Duration duration(Duration byDefault) {
    String d = System.getProperty("kadmesh.soak.duration");
    return d == null || d.isBlank() ? byDefault : Duration.parse(d);
  }

  /** Takes a sample now: collects garbage first, so the heap figure is what is live. */
  public Sample sample(Duration at, long sent, long delivered) {
    System.gc();
    System.gc();
    var memory = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    String[] fds = new File("/proc/self/fd").list();
    Sample s = new Sample(at, memory.getUsed(), ManagementFactory.getThreadMXBean()
        .getThreadCount(), fds == null ? -1 : fds.length, sent, delivered);
    samples.add(s);
    return s;
  }

  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The samples as a table, one line each. */
  public String report() {
    StringBuilder b = new StringBuilder("soak " + name + "\n")
        .append("      at | heap MiB | threads |  fds |     sent | delivered\n");
    for (Sample s : samples) {
      b.append(String.format(Locale.ROOT, "%8s | %8.1f | %7d | %4d | %8d | %8d (%.1f %%)%n",
          s.at().toSeconds() + " s", s.heapBytes() / 1048576.0, s.threads(), s.fds(), s.sent(),
          s.delivered(), 100 * s.deliveryRate()));
    }
    return b.toString();
  }

  /**
   * Fails when heap, threads or descriptors in the last third of the samples sit clearly above
   * the middle third (growth that does not level off); slack absorbs GC and scheduling noise.
   */
  public void assertLevelsOff() {
    assertThat(samples).as("need at least 6 samples").hasSizeGreaterThanOrEqualTo(6);
    int third = samples.size() / 3;
    List<Sample> middle = samples.subList(third, 2 * third);
    List<Sample> last = samples.subList(samples.size() - third, samples.size());
    double heapMiddle = middle.stream().mapToLong(Sample::heapBytes).max().orElseThrow();
    double heapLast = last.stream().mapToLong(Sample::heapBytes).min().orElseThrow();
    // linear growth puts the whole last third above the middle one; noise is a MiB or two
    assertThat(heapLast).as("heap after GC keeps growing\n%s", report())
        .isLessThanOrEqualTo(heapMiddle + Math.max(4 * 1048576.0, 0.05 * heapMiddle));
    int threadsMiddle = middle.stream().mapToInt(Sample::threads).max().orElseThrow();
    int threadsLast = last.stream().mapToInt(Sample::threads).min().orElseThrow();
    assertThat(threadsLast).as("threads keep growing\n%s", report())
        .isLessThanOrEqualTo(threadsMiddle + 4);
    int fdsMiddle = middle.stream().mapToInt(Sample::fds).max().orElseThrow();
    int fdsLast = last.stream().mapToInt(Sample::fds).min().orElseThrow();
    assertThat(fdsLast).as("open file descriptors keep growing\n%s", report())
        .isLessThanOrEqualTo((int) (fdsMiddle * 1.2) + 20);
  }
}
