package dev.kadmesh.p2p.identity;

import dev.kadmesh.p2p.crypto.KeyFormatException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A peer: its identity and the address it listens on. The text form is {@code
 * host:port/<base58 key>} ({@code [v6addr]:port/<key>} for IPv6), e.g. {@code
 * 127.0.0.1:7513/23vYy...}. Immutable; equality covers id and address.
 */
public record Node(NodeId id, String host, int port) {

  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    if (!validHost(host)) {
      throw new IllegalArgumentException(
          "host must be a DNS name or an IP address of at most 253 characters");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, got " + port);
    }
  }

  /**
   * A DNS name or an IPv4/IPv6 literal: letters, digits, '.', '-', and ':' or '%' (IPv6, zone),
   * 1 to 253 characters, not a wildcard address.
   */
  public static boolean validHost(String host) {
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == ':' || c == '%';
      if (!ok) {
        return false;
      }
    }
    return !host.equals("0.0.0.0") && !host.equals("::");
  }

  /** The node's place in the keyspace. */
  public DhtId dhtId() {
    return id.dhtId();
  }

  /** An unresolved socket address; resolution happens when dialing. */
  public InetSocketAddress address() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /**
   * Parses {@code host:port/<base58 key>}.
   *
   * @throws NodeStringException naming the problem: missing key, missing or bad port, missing
   *     host, bad base58, wrong key length, not a curve point
   */
  public static Node parse(String text) {
    return parse(text, null);
  }

  /** Parses {@code text}; when {@code knownId} is given, it is the id the text ends with. */
  private static Node parse(String text, NodeId knownId) {
    if (text == null || text.isBlank()) {
      throw new NodeStringException(String.valueOf(text), "empty");
    }
    String s = text.strip();
    int slash = s.lastIndexOf('/');
    if (slash < 0) {
      throw new NodeStringException(s, "missing '/<base58 public key>' after the address");
    }
    String address = s.substring(0, slash);
    String key = s.substring(slash + 1);
    if (key.isEmpty()) {
      throw new NodeStringException(s, "missing public key after '/'");
    }
    String host;
    String portText;
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      if (close < 0) {
        throw new NodeStringException(s, "unclosed '[' in IPv6 address");
      }
      host = address.substring(1, close);
      if (close + 1 >= address.length() || address.charAt(close + 1) != ':') {
        throw new NodeStringException(s, "missing port (expected host:port)");
      }
      portText = address.substring(close + 2);
    } else {
      int colon = address.lastIndexOf(':');
      if (colon < 0) {
        throw new NodeStringException(s, "missing port (expected host:port)");
      }
      host = address.substring(0, colon);
      portText = address.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new NodeStringException(s, "IPv6 addresses must be written in brackets: [addr]:port");
      }
    }
    if (host.isEmpty()) {
      throw new NodeStringException(s, "missing host");
    }
    if (!validHost(host)) {
      throw new NodeStringException(s, "bad host '" + host + "'");
    }
    if (portText.isEmpty()) {
      throw new NodeStringException(s, "missing port (expected host:port)");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new NodeStringException(s, "bad port '" + portText + "': not a number");
    }
    if (port < 1 || port > 65535) {
      throw new NodeStringException(s, "bad port " + port + ": must be in 1..65535");
    }
    if (knownId != null) {
      return new Node(knownId, host, port);
    }
    NodeId id;
    try {
      id = NodeId.fromBase58(key);
    } catch (KeyFormatException e) {
      throw new NodeStringException(s, e.getMessage());
    }
    return new Node(id, host, port);
  }

  /**
   * The node {@code id} at {@code hostPort} ({@code host:port} or {@code [v6addr]:port}).
   *
   * @throws NodeStringException if the address is not of that form
   */
  public static Node at(NodeId id, String hostPort) {
    return parse(hostPort + "/" + id.toBase58(), id); // the id is known: no need to decode it
  }

  /** {@code host:port}, with brackets around an IPv6 host. */
  public String hostPort() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The text form, which {@link #parse} reads back. */
  @Override
  public String toString() {
    return hostPort() + "/" + id.toBase58();
  }

  /**
   * The nodes of both lists, each id once (the first occurrence wins), in order of first
   * appearance.
   */
  public static List<Node> union(Collection<Node> first, Collection<Node> second) {
    Map<NodeId, Node> byId = new LinkedHashMap<>();
    for (Node n : first) {
      byId.putIfAbsent(n.id(), n);
    }
    for (Node n : second) {
      byId.putIfAbsent(n.id(), n);
    }
    return new ArrayList<>(byId.values());
  }

  /** A new list of {@code nodes}, closest to {@code target} first. */
  public static List<Node> sortByDistance(Collection<Node> nodes, DhtId target) {
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort(byDistanceTo(target));
    return sorted;
  }

  /** Orders nodes by XOR distance of their ids to {@code target}, closest first. */
  public static Comparator<Node> byDistanceTo(DhtId target) {
    return (a, b) -> target.compareDistance(a.dhtId(), b.dhtId());
  }
}
