package dev.kadmesh.service.api;

import dev.kadmesh.p2p.swarm.Message;
import java.time.Instant;

/**
 * A message this node received for a subscribed protocol.
 *
 * @param protocol the protocol
 * @param payload the payload bytes (base64 in JSON)
 * @param sender node id of the peer it came from (for gossip: the last relay)
 * @param senderAddress the sender's node string, when it announced an address
 * @param author node id of the node that wrote and signed it
 * @param timestamp when the author wrote it
 * @param broadcast true for a gossip broadcast, false for a direct message
 * @param droppedBefore messages this subscription dropped (buffer full) since the previous one
 */
public record IncomingMessage(
    String protocol,
    byte[] payload,
    String sender,
    String senderAddress,
    String author,
    Instant timestamp,
    boolean broadcast,
    long droppedBefore) {

  public static IncomingMessage of(Message m, long droppedBefore) {
    return new IncomingMessage(
        m.protocol(),
        m.data(),
        m.sender().toBase58(),
        m.senderAddress().map(Object::toString).orElse(null),
        m.author().toBase58(),
        Instant.ofEpochMilli(m.timestamp()),
        m.gossip(),
        droppedBefore);
  }
}
