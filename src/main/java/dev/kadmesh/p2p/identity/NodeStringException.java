package dev.kadmesh.p2p.identity;

/** A node string ({@code host:port/<base58 key>}) could not be parsed; the message says why. */
public final class NodeStringException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  NodeStringException(String nodeString, String problem) {
    super("invalid node string '" + nodeString + "': " + problem);
  }
}
