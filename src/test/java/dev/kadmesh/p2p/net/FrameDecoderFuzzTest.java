package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kadmesh.fuzz.FuzzSeeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Any byte stream, cut into any chunks: the frame decoder emits exactly the frames the stream
 * holds, in order, each at most the maximum; the first length above the maximum fails the channel
 * and nothing after it is emitted; no buffer leaks either way.
 */
class FrameDecoderFuzzTest {
  private static final int MAX = 64;

  @FuzzTest(maxDuration = "10s")
  void anyStreamSplitsIntoItsFramesOrFailsAtAnOversizedLength(FuzzedDataProvider data) {
    List<Integer> chunks = new ArrayList<>();
    for (int i = data.consumeInt(0, 8); i > 0; i--) {
      chunks.add(data.consumeInt(1, 40));
    }
    byte[] stream = data.consumeRemainingAsBytes();

    // the frames the stream holds, and whether an oversized length comes before its end
    List<byte[]> expected = new ArrayList<>();
    boolean oversized = false;
    int at = 0;
    while (stream.length - at >= 4) {
      long length = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(stream, at, 4).getInt());
      if (length > MAX) {
        oversized = true;
        break;
      }
      if (stream.length - at - 4 < length) {
        break;
      }
      expected.add(java.util.Arrays.copyOfRange(stream, at + 4, at + 4 + (int) length));
      at += 4 + (int) length;
    }

    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX));
    List<ByteBuf> inputs = new ArrayList<>();
    List<byte[]> frames = new ArrayList<>();
    boolean failed = false;
    int offset = 0;
    int chunk = 0;
    while (offset < stream.length) {
      int n = chunks.isEmpty() ? stream.length - offset
          : Math.min(stream.length - offset, chunks.get(chunk++ % chunks.size()));
      ByteBuf in = Unpooled.wrappedBuffer(stream, offset, n);
      inputs.add(in);
      offset += n;
      try {
        channel.writeInbound(in);
      } catch (DecoderException e) {
        assertThat(e).hasCauseInstanceOf(FrameDecoder.FrameTooLargeException.class);
        failed = true;
      }
      ByteBuf f;
      while ((f = channel.readInbound()) != null) {
        frames.add(ByteBufUtil.getBytes(f));
        f.release();
      }
    }
    channel.finishAndReleaseAll();
    assertThat(failed).isEqualTo(oversized);
    assertThat(frames).usingElementComparator(java.util.Arrays::compare)
        .containsExactlyElementsOf(expected);
    assertThat(inputs).allSatisfy(in -> assertThat(in.refCnt()).isZero());
  }

  @Test
  void theSeedIsCurrent() {
    ByteArrayOutputStream seed = new ByteArrayOutputStream();
    seed.writeBytes(new byte[] {0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 0, 0, 0, 0, 40, 'x'});
    seed.writeBytes(new byte[] {7, 2}); // FuzzedDataProvider reads chunk sizes from the end
    FuzzSeeds.check(getClass(), "anyStreamSplitsIntoItsFramesOrFailsAtAnOversizedLength",
        "frames", seed.toByteArray());
  }
}
