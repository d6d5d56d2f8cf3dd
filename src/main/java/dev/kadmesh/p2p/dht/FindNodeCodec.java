package dev.kadmesh.p2p.dht;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.wire.proto.FindNodeRequest;
import dev.kadmesh.p2p.wire.proto.FindNodeResponse;
import dev.kadmesh.p2p.wire.proto.NodeInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Encodes FindNode messages and turns untrusted answers into valid, deduplicated nodes. */
final class FindNodeCodec {
  static final String PROTOCOL = "dht/findnode";

  private FindNodeCodec() {}

  static byte[] request(DhtId target) {
    return FindNodeRequest.newBuilder()
        .setTarget(ByteString.copyFrom(target.toBytes()))
        .build()
        .toByteArray();
  }

  /** The requested target, or null when the request is malformed. */
  static DhtId parseRequest(byte[] payload) {
    try {
      ByteString t = FindNodeRequest.parseFrom(payload).getTarget();
      return t.size() == DhtId.LENGTH ? DhtId.fromBytes(t.toByteArray()) : null;
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  static byte[] response(List<Node> nodes) {
    FindNodeResponse.Builder b = FindNodeResponse.newBuilder();
    for (Node n : nodes) {
      b.addNodes(
          NodeInfo.newBuilder()
              .setPubKey(ByteString.copyFrom(n.id().toBytes()))
              .setHost(n.host())
              .setPort(n.port()));
    }
    return b.build().toByteArray();
  }

  /** Result of checking an answer: the usable nodes and how many entries were dropped. */
  record Parsed(List<Node> nodes, int dropped) {}

  /**
   * Keeps the entries with a valid key, a plausible host and port, that are not {@code self} and
   * not repeated; the rest is counted as dropped. An answer with more than {@code max} entries is
   * malformed (null): a server never sends more than k, and decoding keys is not free.
   */
  static Parsed parseResponse(byte[] payload, NodeId self, int max) {
    FindNodeResponse response;
    try {
      response = FindNodeResponse.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
    if (response.getNodesCount() > max) {
      return null;
    }
    List<Node> nodes = new ArrayList<>();
    Set<ByteString> seen = new HashSet<>();
    ByteString selfKey = ByteString.copyFrom(self.toBytes());
    int dropped = 0;
    for (NodeInfo info : response.getNodesList()) {
      Node n = null;
      if (!info.getPubKey().equals(selfKey) && seen.add(info.getPubKey())) {
        n = toNode(info);
      }
      if (n == null) {
        dropped++;
        continue;
      }
      nodes.add(n);
    }
    return new Parsed(nodes, dropped);
  }

  private static Node toNode(NodeInfo info) {
    String host = info.getHost();
    if (info.getPubKey().size() != 33 || !Node.validHost(host) || info.getPort() < 1
        || info.getPort() > 65535) {
      return null;
    }
    try {
      return new Node(NodeId.fromBytes(info.getPubKey().toByteArray()), host, info.getPort());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
