package dev.kadmesh.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.swarm.Message;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Fan-out of one protocol's messages to subscribers, with drains run inline (deterministic). */
class ProtocolChannelTest {
  private static final NodeId PEER = LocalNode.generate("127.0.0.1", 1, new SecureRandom()).id();

  private final AtomicLong overflows = new AtomicLong();
  private final ProtocolChannel channel =
      new ProtocolChannel("p", 3, 1000, overflows::incrementAndGet);

  private static Message message(int n) {
    return message(n, 1);
  }

  /** Message {@code n} with a payload of {@code size} bytes. */
  private static Message message(int n, int size) {
    byte[] payload = new byte[size];
    payload[0] = (byte) n;
    return new Message("p", payload, PEER, null, PEER, new byte[8], 0, false);
  }

  /** Records deliveries; {@code ready} stands for the client's flow control. */
  private static final class Recorder extends Subscriber {
    final List<Integer> got = new ArrayList<>();
    final List<Long> dropped = new ArrayList<>();
    final List<ApiException> ended = new ArrayList<>();
    boolean ready = true;
    boolean fail;

    Recorder(int capacity) {
      this(capacity, Long.MAX_VALUE);
    }

    Recorder(int capacity, long maxBytes) {
      super(capacity, maxBytes);
    }

    @Override
    protected boolean isReady() {
      return ready;
    }

    @Override
    protected void deliver(Message message, long droppedBefore) {
      if (fail) {
        throw new IllegalStateException("client went away");
      }
      got.add((int) message.data()[0]);
      dropped.add(droppedBefore);
    }

    @Override
    protected void onEnded(ApiException reason) {
      ended.add(reason);
    }

    void resume() {
      ready = true;
      drainSoon();
    }
  }

  private Recorder subscribe(int capacity) {
    return subscribe(new Recorder(capacity));
  }

  private Recorder subscribe(Recorder r) {
    r.attach(Runnable::run, overflows::incrementAndGet, () -> channel.remove(r));
    channel.add(r);
    return r;
  }

  @Test
  void messagesWaitForTheFirstSubscriberInABoundedBacklog() {
    for (int i = 1; i <= 5; i++) {
      channel.accept(message(i));
    }
    assertThat(channel.info().backlog()).isEqualTo(3);
    assertThat(channel.info().dropped()).isEqualTo(2);
    assertThat(overflows.get()).isEqualTo(2);

    Recorder r = subscribe(10);

    assertThat(r.got).containsExactly(3, 4, 5); // oldest dropped first
    assertThat(channel.info().backlog()).isZero();
  }

  @Test
  void everySubscriberGetsEveryMessageInOrder() {
    Recorder a = subscribe(10);
    Recorder b = subscribe(10);
    for (int i = 1; i <= 4; i++) {
      channel.accept(message(i));
    }
    assertThat(a.got).containsExactly(1, 2, 3, 4);
    assertThat(b.got).containsExactly(1, 2, 3, 4);
    assertThat(channel.info().received()).isEqualTo(4);
  }

  @Test
  void aStuckSubscriberDropsItsOwnOverflowAndIsToldWithTheNextMessage() {
    Recorder stuck = subscribe(2);
    Recorder fine = subscribe(10);
    stuck.ready = false;

    for (int i = 1; i <= 5; i++) {
      channel.accept(message(i));
    }

    assertThat(fine.got).containsExactly(1, 2, 3, 4, 5);
    assertThat(stuck.got).isEmpty();
    assertThat(stuck.dropped()).isEqualTo(3);
    assertThat(channel.info().buffered()).isEqualTo(2);
    assertThat(overflows.get()).isEqualTo(3);

    stuck.resume();
    channel.accept(message(6));

    assertThat(stuck.got).containsExactly(1, 2, 6);
    // the gap is between 2 and 6, and 6 says so
    assertThat(stuck.dropped).containsExactly(0L, 0L, 3L);
  }

  @Test
  void buffersAreBoundedInBytesToo() {
    Recorder stuck = subscribe(new Recorder(100, 250));
    stuck.ready = false;

    for (int i = 1; i <= 4; i++) {
      channel.accept(message(i, 100));
    }

    assertThat(stuck.buffered()).isEqualTo(2);
    assertThat(stuck.dropped()).isEqualTo(2);
    stuck.resume();
    assertThat(stuck.got).containsExactly(1, 2);
  }

  @Test
  void theBacklogIsBoundedInBytes() {
    for (int i = 1; i <= 3; i++) {
      channel.accept(message(i, 400));
    }
    assertThat(channel.info().backlog()).isEqualTo(2); // 3 x 400 bytes exceed 1000
    assertThat(subscribe(10).got).containsExactly(2, 3);
  }

  @Test
  void anEndedSubscriberIsRemovedAndGetsNothingMore() {
    Recorder r = subscribe(10);
    channel.accept(message(1));

    r.end(new ApiException(ApiError.SHUTTING_DOWN, "bye"));
    channel.accept(message(2));

    assertThat(r.got).containsExactly(1);
    assertThat(r.ended).extracting(ApiException::error).containsExactly(ApiError.SHUTTING_DOWN);
    assertThat(channel.info().subscribers()).isZero();
    assertThat(channel.info().backlog()).isEqualTo(1); // kept for the next subscriber
  }

  @Test
  void aSubscriberWhoseWriteFailsIsEndedAndToldInternal() {
    Recorder r = subscribe(10);
    r.fail = true;

    channel.accept(message(1));

    assertThat(r.isEnded()).isTrue();
    assertThat(r.ended).extracting(ApiException::error).containsExactly(ApiError.INTERNAL);
    assertThat(channel.info().subscribers()).isZero();
  }

  @Test
  void aSubscriberEndedByItsClientIsNotWrittenTo() {
    Recorder r = subscribe(10);

    r.end(null);
    channel.accept(message(1));

    assertThat(r.got).isEmpty();
    assertThat(r.ended).isEmpty();
  }

  @Test
  void closingEndsEverySubscription() {
    Recorder a = subscribe(10);
    Recorder b = subscribe(10);

    channel.close(new ApiException(ApiError.NOT_FOUND, "unregistered"));

    assertThat(a.ended).hasSize(1);
    assertThat(b.ended).hasSize(1);
    assertThat(channel.info().subscribers()).isZero();
  }
}
