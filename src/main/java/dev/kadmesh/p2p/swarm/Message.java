package dev.kadmesh.p2p.swarm;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.util.Optional;

/**
 * A validated message delivered to a protocol.
 *
 * @param protocol the protocol it was sent for
 * @param data the payload
 * @param sender the authenticated peer it came from
 * @param senderNode the sender's dialable address, if it announced one
 * @param author who wrote it (the sender, except for relayed gossip)
 * @param reqId the request id chosen by the author
 * @param timestamp authoring time, Unix milliseconds
 * @param gossip true for a broadcast, false for a direct message
 */
public record Message(
    String protocol,
    byte[] data,
    NodeId sender,
    Node senderNode,
    NodeId author,
    byte[] reqId,
    long timestamp,
    boolean gossip) {

  public Optional<Node> senderAddress() {
    return Optional.ofNullable(senderNode);
  }
}
