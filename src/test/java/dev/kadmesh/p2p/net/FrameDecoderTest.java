package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  private static byte[] frame(byte[] body) {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(body.length).writeBytes(body);
    return ByteBufUtil.getBytes(b);
  }

  /**
   * Feeds {@code stream} in the given chunk sizes, then the rest; returns the frames read, each
   * released, after checking that nothing holds any input buffer any more (no leaked frame).
   */
  private static List<byte[]> decode(EmbeddedChannel channel, byte[] stream, int... chunks) {
    List<ByteBuf> inputs = new ArrayList<>();
    int at = 0;
    for (int c : chunks) {
      if (c > 0) { // (an empty wrap is a shared constant that is never freed)
        inputs.add(Unpooled.wrappedBuffer(stream, at, c));
      }
      at += c;
    }
    if (at < stream.length) {
      inputs.add(Unpooled.wrappedBuffer(stream, at, stream.length - at));
    }
    for (ByteBuf in : inputs) {
      channel.writeInbound(in);
    }
    List<byte[]> frames = new ArrayList<>();
    ByteBuf f;
    while ((f = channel.readInbound()) != null) {
      frames.add(ByteBufUtil.getBytes(f));
      f.release();
    }
    channel.finish();
    assertThat(inputs).allSatisfy(in -> assertThat(in.refCnt()).isZero());
    return frames;
  }

  @Test
  void framesSplitAnywhereAndPackedTogetherComeOutWhole() {
    Random random = new Random(5);
    byte[] a = new byte[3000];
    byte[] b = new byte[1];
    byte[] c = new byte[0];
    random.nextBytes(a);
    b[0] = 42;
    ByteBuf all = Unpooled.buffer();
    all.writeBytes(frame(a)).writeBytes(frame(b)).writeBytes(frame(c));
    byte[] stream = ByteBufUtil.getBytes(all);
    for (int split = 0; split <= stream.length; split += 7) {
      EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1 << 20));
      List<byte[]> frames = decode(channel, stream, split);
      assertThat(frames).as("split at %d", split).hasSize(3);
      assertThat(frames.get(0)).isEqualTo(a);
      assertThat(frames.get(1)).isEqualTo(b);
      assertThat(frames.get(2)).isEmpty();
    }
  }

  @Test
  void aLengthAboveTheMaximumFailsBeforeAnythingIsBufferedAndTheRestIsIgnored() {
    assertThat(decode(new EmbeddedChannel(new FrameDecoder(100)), frame(new byte[100])))
        .hasSize(1);
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(100));
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(frame(new byte[101]))))
        .isInstanceOf(DecoderException.class)
        .hasCauseInstanceOf(FrameDecoder.FrameTooLargeException.class);
    channel.writeInbound(Unpooled.wrappedBuffer(frame(new byte[10])));
    assertThat((Object) channel.readInbound()).isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void aLargeFrameWaitsForTheBudgetAndIsDecodedFromWhatIsBufferedOnceGranted() {
    int large = FrameDecoder.UNBUDGETED_FRAME + 1000;
    long buffer = FrameDecoder.bufferFor(large);
    InboundBudget budget = new InboundBudget(buffer + 1000); // room for one large frame
    List<Boolean> gateB = new ArrayList<>();
    FrameDecoder decoderA = new FrameDecoder(1 << 20, budget);
    FrameDecoder decoderB = new FrameDecoder(1 << 20, budget);
    decoderB.readGate(gateB::add);
    EmbeddedChannel a = new EmbeddedChannel(decoderA);
    EmbeddedChannel b = new EmbeddedChannel(decoderB);
    byte[] frameA = frame(new byte[large]);
    byte[] frameB = frame(new byte[large]);
    frameB[10] = 7;

    a.writeInbound(Unpooled.wrappedBuffer(frameA, 0, 100));
    assertThat(budget.reserved()).isEqualTo(buffer);
    b.writeInbound(Unpooled.wrappedBuffer(frameB, 0, 100));
    assertThat(decoderB.waitingForBudget()).isTrue();
    assertThat(gateB).containsExactly(true);
    // bytes that arrive anyway (read before the pause) stay buffered, undecoded
    b.writeInbound(Unpooled.wrappedBuffer(frameB, 100, frameB.length - 100));
    assertThat((Object) b.readInbound()).isNull();

    a.writeInbound(Unpooled.wrappedBuffer(frameA, 100, frameA.length - 100));
    ByteBuf gotA = a.readInbound();
    assertThat(gotA.readableBytes()).isEqualTo(large);
    gotA.release();
    assertThat(budget.reserved()).as("granted to B").isEqualTo(buffer);
    b.runPendingTasks(); // the grant is handed to B's event loop
    assertThat(gateB).containsExactly(true, false);
    ByteBuf gotB = b.readInbound(); // no further input needed
    assertThat(gotB).isNotNull();
    assertThat(ByteBufUtil.getBytes(gotB)).isEqualTo(java.util.Arrays.copyOfRange(frameB, 4,
        frameB.length));
    gotB.release();
    assertThat(budget.reserved()).isZero();
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }

  @Test
  void aClosedConnectionGivesBackItsReservationAndLeavesTheQueue() {
    int large = FrameDecoder.UNBUDGETED_FRAME + 1;
    InboundBudget budget = new InboundBudget(FrameDecoder.bufferFor(large));
    EmbeddedChannel holder = new EmbeddedChannel(new FrameDecoder(1 << 20, budget));
    EmbeddedChannel waiter = new EmbeddedChannel(new FrameDecoder(1 << 20, budget));
    holder.writeInbound(Unpooled.wrappedBuffer(frame(new byte[large]), 0, 10));
    waiter.writeInbound(Unpooled.wrappedBuffer(frame(new byte[large]), 0, 10));
    assertThat(budget.waiting()).isEqualTo(1);
    waiter.close();
    assertThat(budget.waiting()).isZero();
    holder.close();
    assertThat(budget.reserved()).isZero();

    // a grant that arrives after the connection closed is given back
    EmbeddedChannel first = new EmbeddedChannel(new FrameDecoder(1 << 20, budget));
    EmbeddedChannel late = new EmbeddedChannel(new FrameDecoder(1 << 20, budget));
    first.writeInbound(Unpooled.wrappedBuffer(frame(new byte[large]), 0, 10));
    late.writeInbound(Unpooled.wrappedBuffer(frame(new byte[large]), 0, 10));
    first.close(); // grants late: the hand-over is queued on late's event loop
    assertThat(budget.reserved()).isEqualTo(FrameDecoder.bufferFor(large));
    late.pipeline().fireChannelInactive(); // closes before the hand-over runs
    late.runPendingTasks();
    assertThat(budget.reserved()).isZero();
    late.finishAndReleaseAll();
    // small frames never reserve
    EmbeddedChannel small = new EmbeddedChannel(new FrameDecoder(1 << 20, budget));
    small.writeInbound(Unpooled.wrappedBuffer(frame(new byte[FrameDecoder.UNBUDGETED_FRAME]),
        0, 10));
    assertThat(budget.reserved()).isZero();
    small.finishAndReleaseAll();
  }
}
