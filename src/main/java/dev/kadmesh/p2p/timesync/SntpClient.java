package dev.kadmesh.p2p.timesync;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One SNTP (RFC 4330) query: sends a client request and computes the clock offset from the
 * server's answer, corrected for the round trip: {@code ((t2 - t1) + (t3 - t4)) / 2}. Blocking:
 * call it off the transport threads.
 */
final class SntpClient {
  private static final int PACKET = 48;
  /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
  static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

  private final LongSupplier clock;

  SntpClient(LongSupplier unixMillis) {
    this.clock = unixMillis;
  }

  /** A server's answer: its offset from our clock and the round-trip delay, in milliseconds. */
  record Sample(InetSocketAddress server, long offsetMillis, long roundTripMillis) {}

  Sample query(InetSocketAddress server, Duration timeout) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      byte[] request = new byte[PACKET];
      request[0] = 0x23; // LI 0, version 4, mode 3 (client)
      long t1 = clock.getAsLong();
      writeTimestamp(request, 40, t1);
      socket.send(new DatagramPacket(request, PACKET, server));
      byte[] answer = new byte[PACKET];
      DatagramPacket packet = new DatagramPacket(answer, PACKET);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        throw new IOException("no answer from " + server + " within " + timeout.toMillis() + " ms");
      }
      long t4 = clock.getAsLong();
      if (packet.getLength() < PACKET) {
        throw new IOException(server + " sent a short packet");
      }
      int mode = answer[0] & 0x07;
      int leap = (answer[0] >> 6) & 0x03;
      int stratum = answer[1] & 0xff;
      if (mode != 4 || leap == 3 || stratum < 1 || stratum > 15) {
        throw new IOException(server + " is not a synchronised SNTP server (mode " + mode
            + ", leap " + leap + ", stratum " + stratum + ")");
      }
      if (readTimestamp(answer, 24) != truncate(t1)) {
        throw new IOException(server + " answered another request");
      }
      long t2 = readTimestamp(answer, 32);
      long t3 = readTimestamp(answer, 40);
      return new Sample(server, ((t2 - t1) + (t3 - t4)) / 2, (t4 - t1) - (t3 - t2));
    }
  }

  /** Unix ms as a 64-bit NTP timestamp (seconds since 1900, 32-bit fraction). */
  static void writeTimestamp(byte[] b, int offset, long unixMillis) {
    long seconds = Math.floorDiv(unixMillis, 1000) + NTP_EPOCH_OFFSET;
    long millis = Math.floorMod(unixMillis, 1000L);
    long fraction = ((millis << 32) + 999) / 1000; // rounded up, so reading back floors to millis
    ByteBuffer.wrap(b, offset, 8).putInt((int) seconds).putInt((int) fraction);
  }

  /** A 64-bit NTP timestamp as Unix ms. */
  static long readTimestamp(byte[] b, int offset) {
    ByteBuffer buf = ByteBuffer.wrap(b, offset, 8);
    long seconds = buf.getInt() & 0xffffffffL;
    long fraction = buf.getInt() & 0xffffffffL;
    return (seconds - NTP_EPOCH_OFFSET) * 1000 + ((fraction * 1000) >>> 32);
  }

  private static long truncate(long unixMillis) {
    byte[] b = new byte[8];
    writeTimestamp(b, 0, unixMillis);
    return readTimestamp(b, 0);
  }
}
