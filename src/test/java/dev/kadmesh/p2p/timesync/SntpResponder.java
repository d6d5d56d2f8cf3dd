package dev.kadmesh.p2p.timesync;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

/** A minimal SNTP server on loopback UDP whose clock runs {@code offsetMillis} ahead of ours. */
public class SntpResponder implements AutoCloseable {
  private final DatagramSocket socket;

  private final long answerDelayMillis;

  public SntpResponder(long offsetMillis, boolean synchronised) throws SocketException {
    this(offsetMillis, synchronised, 0);
  }

  /** Like the others, but it receives at once and answers {@code answerDelayMillis} later. */
  public SntpResponder(long offsetMillis, boolean synchronised, long answerDelayMillis)
      throws SocketException {
    this.answerDelayMillis = answerDelayMillis;
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread thread = new Thread(() -> serve(offsetMillis, synchronised), "sntp-responder");
    thread.setDaemon(true);
    thread.start();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private void serve(long offset, boolean synchronised) {
    byte[] buf = new byte[48];
    while (!socket.isClosed()) {
      try {
        DatagramPacket req = new DatagramPacket(buf, 48);
        socket.receive(req);
        byte[] answer = new byte[48];
        answer[0] = (byte) (synchronised ? 0x24 : 0xe4); // version 4, mode 4; leap 3 if not
        answer[1] = 2; // stratum
        System.arraycopy(buf, 40, answer, 24, 8); // originate = the client's transmit time
        long received = System.currentTimeMillis() + offset;
        SntpClient.writeTimestamp(answer, 32, received);
        if (answerDelayMillis > 0) {
          // a server that takes a while to answer: its own processing time, which the client
          // must not count as clock offset
          java.util.concurrent.locks.LockSupport.parkNanos(answerDelayMillis * 1_000_000);
        }
        SntpClient.writeTimestamp(answer, 40, System.currentTimeMillis() + offset);
        socket.send(new DatagramPacket(answer, 48, req.getSocketAddress()));
      } catch (Exception e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
