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
  private final ProtocolChannel channel = new ProtocolChannel("p", 3, overflows::incrementAndGet);

  private static Message message(int n) {
    return new Message("p", new byte[] {(byte) n}, PEER, null, PEER, new byte[8], 0, false);
  }

  /** Records deliveries; {@code ready} stands for the client's flow control. */
  private static final class Recorder extends Subscriber {
    final List<Integer> got = new ArrayList<>();
    final List<Long> dropped = new ArrayList<>();
    final List<ApiException> ended = new ArrayList<>();
    boolean ready = true;
    boolean fail;

    Recorder(int capacity) {
      super(capacity);
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
    Recorder r = new Recorder(capacity);
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
    assertThat(stuck.dropped.get(0)).isEqualTo(3); // told with the first message after the loss
    assertThat(stuck.dropped.subList(1, 3)).containsOnly(0L);
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
  void aSubscriberWhoseClientFailsIsEndedWithoutBeingTold() {
    Recorder r = subscribe(10);
    r.fail = true;

    channel.accept(message(1));

    assertThat(r.isEnded()).isTrue();
    assertThat(r.ended).isEmpty();
    assertThat(channel.info().subscribers()).isZero();
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
