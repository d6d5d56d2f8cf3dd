package dev.kadmesh.p2p.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

  @Test
  void tasksRunInTimeOrderAndTiesInSchedulingOrder() {
    VirtualScheduler clock = new VirtualScheduler(1000);
    List<String> ran = new ArrayList<>();
    clock.schedule(() -> ran.add("c@20"), 20);
    clock.schedule(() -> ran.add("a@10"), 10);
    clock.schedule(() -> ran.add("far@20000"), 20_000);
    clock.schedule(() -> ran.add("b@10"), 10);
    clock.schedule(() -> ran.add("now"), 0);
    clock.advance(15);
    assertThat(ran).containsExactly("now", "a@10", "b@10");
    assertThat(clock.nowMillis()).isEqualTo(1015);
    clock.advance(30_000);
    assertThat(ran).containsExactly("now", "a@10", "b@10", "c@20", "far@20000");
    assertThat(clock.nowMillis()).isEqualTo(31_015);
  }

  /** A task scheduled long ago and a recent one due at the same time keep their order. */
  @Test
  void anEarlierScheduledTaskRunsFirstAmongThoseDueAtTheSameTime() {
    VirtualScheduler clock = new VirtualScheduler(0);
    List<String> ran = new ArrayList<>();
    long at = 10_005;
    clock.schedule(() -> ran.add("far"), at);
    clock.advance(10);
    clock.schedule(() -> ran.add("near"), at - 10);
    clock.schedule(() -> ran.add("later"), at - 9);
    clock.advance(at);
    assertThat(ran).containsExactly("far", "near", "later");
  }

  @Test
  void cancelledTasksDoNotRunAndCancellingARunTaskIsHarmless() {
    VirtualScheduler clock = new VirtualScheduler(0);
    List<String> ran = new ArrayList<>();
    Scheduler.Cancellable near = clock.schedule(() -> ran.add("near"), 5);
    Scheduler.Cancellable far = clock.schedule(() -> ran.add("far"), 100_000);
    Scheduler.Cancellable done = clock.schedule(() -> ran.add("done"), 1);
    clock.advance(2);
    done.cancel();
    near.cancel();
    far.cancel();
    clock.advance(200_000);
    assertThat(ran).containsExactly("done");
  }

  /**
   * A random program (tasks that schedule and cancel other tasks, short and long delays, many
   * ties, irregular steps of the clock) runs exactly as the model: time order, then scheduling
   * order, cancelled tasks never.
   */
  @Test
  void runsRandomProgramsExactlyLikeAPriorityQueue() {
    for (long seed = 1; seed <= 20; seed++) {
      VirtualScheduler virtual = new VirtualScheduler(500);
      Reference reference = new Reference(500);
      List<String> a = runProgram(seed, virtual::schedule, virtual::runUntil, virtual::nowMillis);
      List<String> b = runProgram(seed, reference::schedule, reference::runUntil,
          reference::nowMillis);
      assertThat(a).hasSizeGreaterThan(1000).isEqualTo(b);
    }
  }

  interface Schedule {
    Scheduler.Cancellable schedule(Runnable task, long delay);
  }

  interface RunUntil {
    void runUntil(long time);
  }

  private static List<String> runProgram(long seed, Schedule scheduler, RunUntil runUntil,
      java.util.function.LongSupplier now) {
    List<String> trace = new ArrayList<>();
    List<Scheduler.Cancellable> handles = new ArrayList<>();
    int[] nextId = {0};
    Random program = new Random(seed);
    class Spawner {
      void spawn(long delay) {
        int id = nextId[0]++;
        handles.add(scheduler.schedule(() -> {
          trace.add(id + "@" + now.getAsLong());
          Random r = new Random(seed * 1_000_003 + id);
          if (id < 3000) {
            for (int k = r.nextInt(3); k > 0; k--) {
              spawn(delay(r));
            }
          }
          if (r.nextInt(4) == 0) {
            handles.get(r.nextInt(handles.size())).cancel();
          }
        }, delay));
      }

      long delay(Random r) {
        int kind = r.nextInt(10);
        return kind < 5 ? r.nextInt(50) : kind < 8 ? r.nextInt(5000)
            : kind < 9 ? 9_998 + r.nextInt(4) : r.nextInt(40_000);
      }
    }
    Spawner s = new Spawner();
    for (int i = 0; i < 50; i++) {
      s.spawn(s.delay(program));
    }
    long t = now.getAsLong();
    for (int step = 0; step < 400; step++) {
      t += program.nextInt(10) == 0 ? 0 : program.nextInt(3000);
      runUntil.runUntil(t);
    }
    runUntil.runUntil(t + 1_000_000);
    return trace;
  }

  /** The model: every task in one priority queue, cancellation by a flag. */
  private static final class Reference {
    private final PriorityQueue<long[]> queue =
        new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0])
            : Long.compare(x[1], y[1]));
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<Boolean> cancelled = new ArrayList<>();
    private long now;

    Reference(long start) {
      now = start;
    }

    long nowMillis() {
      return now;
    }

    Scheduler.Cancellable schedule(Runnable task, long delay) {
      int id = tasks.size();
      tasks.add(task);
      cancelled.add(false);
      queue.add(new long[] {now + delay, id});
      return () -> cancelled.set(id, true);
    }

    void runUntil(long time) {
      while (!queue.isEmpty() && queue.peek()[0] <= time) {
        long[] next = queue.poll();
        now = Math.max(now, next[0]);
        int id = (int) next[1];
        if (!cancelled.get(id)) {
          cancelled.set(id, true);
          tasks.get(id).run();
        }
      }
      now = Math.max(now, time);
    }
  }
}
