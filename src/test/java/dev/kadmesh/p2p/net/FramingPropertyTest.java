package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code <uint32 length><bytes>} framing round-trips for generated frames, however TCP cuts the
 * stream: at every single split point, and in random sequences of chunk sizes; no input buffer is
 * left unreleased. Seeded: a failure names its case.
 */
class FramingPropertyTest {

  /** Up to 6 frames of 0 to 300 random bytes, more often empty or tiny than a uniform draw. */
  private static List<byte[]> frames(Random random) {
    List<byte[]> frames = new ArrayList<>();
    for (int i = random.nextInt(7); i > 0; i--) {
      int size = random.nextBoolean() ? random.nextInt(4) : random.nextInt(301);
      byte[] f = new byte[size];
      random.nextBytes(f);
      frames.add(f);
    }
    return frames;
  }

  private static byte[] encode(List<byte[]> frames) {
    ByteBuf b = Unpooled.buffer();
    for (byte[] f : frames) {
      b.writeInt(f.length).writeBytes(f);
    }
    return ByteBufUtil.getBytes(b);
  }

  /** Feeds {@code stream} cut at {@code cuts} (ascending offsets) and returns the frames read. */
  private static List<byte[]> decode(byte[] stream, List<Integer> cuts) {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1 << 16));
    List<ByteBuf> inputs = new ArrayList<>();
    int at = 0;
    for (int cut : cuts) {
      if (cut > at) {
        inputs.add(Unpooled.wrappedBuffer(stream, at, cut - at));
        at = cut;
      }
    }
    if (at < stream.length) {
      inputs.add(Unpooled.wrappedBuffer(stream, at, stream.length - at));
    }
    List<byte[]> out = new ArrayList<>();
    for (ByteBuf in : inputs) {
      channel.writeInbound(in);
      ByteBuf f;
      while ((f = channel.readInbound()) != null) {
        out.add(ByteBufUtil.getBytes(f));
        f.release();
      }
    }
    channel.finishAndReleaseAll();
    assertThat(inputs).allSatisfy(in -> assertThat(in.refCnt()).isZero());
    return out;
  }

  @Test
  void framesSurviveASplitAtEveryPoint() {
    for (int c = 0; c < 100; c++) {
      List<byte[]> frames = frames(new Random(c));
      byte[] stream = encode(frames);
      for (int split = 0; split <= stream.length; split++) {
        assertThat(decode(stream, List.of(split)))
            .as("case %d, split at %d of %d", c, split, stream.length)
            .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(frames);
      }
    }
  }

  @Test
  void framesSurviveAnyChunking() {
    for (int c = 0; c < 1000; c++) {
      Random random = new Random(c);
      List<byte[]> frames = frames(random);
      byte[] stream = encode(frames);
      List<Integer> cuts = new ArrayList<>();
      int at = 0;
      for (int i = random.nextInt(41); i > 0; i--) {
        at = Math.min(stream.length, at + random.nextInt(65));
        cuts.add(at);
      }
      assertThat(decode(stream, cuts)).as("case %d, cuts %s", c, cuts)
          .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(frames);
    }
  }
}
