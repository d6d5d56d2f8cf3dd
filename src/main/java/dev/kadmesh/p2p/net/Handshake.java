package dev.kadmesh.p2p.net;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kadmesh.p2p.crypto.Hashes;
import dev.kadmesh.p2p.crypto.Hkdf;
import dev.kadmesh.p2p.crypto.KeyFormatException;
import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.crypto.PublicKey;
import dev.kadmesh.p2p.wire.proto.HandshakeData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The session handshake as a pure state machine: bytes in, bytes out, no I/O, no threads.
 *
 * <pre>
 * initiator                                   responder
 *   req  {sessionId, ts, version, net, static I, nonce I, ephemeral I}  -&gt;
 *       &lt;-  resp {sessionId, ts, version, net, static R, nonce R, ephemeral R, sig R(transcript)}
 *   fin  {sessionId, ts, sig I(transcript)}                              -&gt;
 * </pre>
 *
 * Both ephemeral keys feed the session keys (forward secrecy); each signature covers a SHA-256
 * digest of everything exchanged so far, including the other side's fresh nonce and ephemeral key,
 * so a recorded handshake cannot be replayed. docs/protocol.md specifies the transcript byte by
 * byte. Not thread-safe: one instance per connection, driven by one thread at a time.
 */
final class Handshake {
  static final String REQ = "handshake/req";
  static final String RESP = "handshake/resp";
  static final String FIN = "handshake/fin";
  static final String REJECT = "handshake/reject";
  static final int SESSION_ID_LENGTH = 16;
  static final int NONCE_LENGTH = 32;
  static final int SIGNATURE_LENGTH = 64;
  static final int MAX_ADDRESS_LENGTH = 300;

  private static final byte[] LABEL_RESP = ascii("kadmesh-handshake-v1/resp");
  private static final byte[] LABEL_FIN = ascii("kadmesh-handshake-v1/fin");
  private static final byte[] LABEL_KEYS = ascii("kadmesh-handshake-v1/keys");
  private static final byte[] HKDF_INFO = ascii("kadmesh-v1 session keys");

  private enum State {
    INITIATOR_START,
    INITIATOR_SENT_REQ,
    RESPONDER_WAIT_REQ,
    RESPONDER_SENT_RESP,
    DONE,
    FAILED
  }

  private final HandshakeConfig config;
  private final PrivateKey staticKey;
  private final PrivateKey ephemeralKey;
  private final boolean initiator;
  private final byte[] advertised;
  private State state;
  private String remoteAdvertised = "";
  private PublicKey remoteStatic;
  private byte[] sessionId;
  private byte[] reqHash;
  private byte[] respHash;
  private String remoteVersion;
  private SessionKeys keys;

  private Handshake(
      HandshakeConfig config,
      PrivateKey staticKey,
      PublicKey expectedRemote,
      boolean initiator,
      String advertised) {
    this.config = config;
    this.advertised = advertised.getBytes(StandardCharsets.UTF_8);
    if (this.advertised.length > MAX_ADDRESS_LENGTH) {
      throw new IllegalArgumentException("advertised address too long");
    }
    this.staticKey = staticKey;
    this.ephemeralKey = PrivateKey.generate(config.random());
    this.initiator = initiator;
    this.remoteStatic = expectedRemote;
    this.state = initiator ? State.INITIATOR_START : State.RESPONDER_WAIT_REQ;
  }

  /** The side that dials {@code expectedRemote}. Call {@link #firstMessage()} next. */
  static Handshake initiator(HandshakeConfig config, PrivateKey staticKey, PublicKey expectedRemote) {
    return initiator(config, staticKey, expectedRemote, "");
  }

  /**
   * The side that dials {@code expectedRemote}, announcing {@code advertised} ("host:port", or
   * empty) as the address it accepts connections on.
   */
  static Handshake initiator(
      HandshakeConfig config, PrivateKey staticKey, PublicKey expectedRemote, String advertised) {
    Objects.requireNonNull(expectedRemote, "expectedRemote");
    if (expectedRemote.equals(staticKey.publicKey())) {
      throw new IllegalArgumentException("cannot open a session with ourselves");
    }
    return new Handshake(config, staticKey, expectedRemote, true, advertised);
  }

  /** The side that accepted a connection; it learns the peer's key from the first message. */
  static Handshake responder(HandshakeConfig config, PrivateKey staticKey) {
    return responder(config, staticKey, "");
  }

  /** A responder announcing {@code advertised} ("host:port", or empty) as its address. */
  static Handshake responder(HandshakeConfig config, PrivateKey staticKey, String advertised) {
    return new Handshake(config, staticKey, null, false, advertised);
  }

  /** The initiator's request. */
  byte[] firstMessage() {
    if (state != State.INITIATOR_START) {
      throw new IllegalStateException("firstMessage() is for a fresh initiator, state " + state);
    }
    sessionId = randomBytes(SESSION_ID_LENGTH);
    byte[] req = hello(REQ, ByteString.copyFrom(sessionId)).toByteArray();
    reqHash = Hashes.sha256(req);
    state = State.INITIATOR_SENT_REQ;
    return req;
  }

  /**
   * Consumes the peer's next message and returns our answer, if any. After a successful call
   * {@link #isComplete()} may be true.
   *
   * @throws HandshakeException if the message is malformed, out of order or fails a check; the
   *     handshake is then dead and the connection must be closed
   */
  Optional<byte[]> handle(byte[] message) throws HandshakeException {
    try {
      return switch (state) {
        case RESPONDER_WAIT_REQ -> Optional.of(onRequest(message));
        case INITIATOR_SENT_REQ -> Optional.of(onResponse(message));
        case RESPONDER_SENT_RESP -> {
          onFinish(message);
          yield Optional.empty();
        }
        default ->
            throw new HandshakeException(
                CloseReason.MALFORMED_HANDSHAKE, "unexpected message in state " + state);
      };
    } catch (HandshakeException e) {
      state = State.FAILED;
      throw e;
    }
  }

  boolean isComplete() {
    return state == State.DONE;
  }

  boolean isInitiator() {
    return initiator;
  }

  /** The peer's static key: known from the start for the initiator, after the request otherwise. */
  PublicKey remoteStaticKey() {
    return remoteStatic;
  }

  String remoteClientVersion() {
    return remoteVersion;
  }

  /** The address the peer says it accepts connections on ("host:port"), or empty. */
  String remoteAdvertisedAddress() {
    return remoteAdvertised;
  }

  private static String advertisedAddress(HandshakeData m) throws HandshakeException {
    if (m.getPayload().size() > MAX_ADDRESS_LENGTH) {
      throw new HandshakeException(CloseReason.MALFORMED_HANDSHAKE, "advertised address too long");
    }
    if (!m.getPayload().isValidUtf8()) {
      throw new HandshakeException(CloseReason.MALFORMED_HANDSHAKE, "advertised address not UTF-8");
    }
    return m.getPayload().toStringUtf8();
  }

  /** The session keys, once {@link #isComplete()}. */
  SessionKeys sessionKeys() {
    if (state != State.DONE) {
      throw new IllegalStateException("handshake not complete");
    }
    return keys;
  }

  private byte[] onRequest(byte[] message) throws HandshakeException {
    HandshakeData req = parse(message, REQ);
    requireLength(req.getSessionId(), SESSION_ID_LENGTH, "sessionId");
    requireLength(req.getIv(), NONCE_LENGTH, "iv");
    try {
      checkPeerParameters(req);
    } catch (HandshakeException e) {
      throw e.withReply(reject(req, e.reason()));
    }
    PublicKey remote = decodeKey(req.getNodePubKey(), "nodePubKey");
    if (remote.equals(staticKey.publicKey())) {
      throw new HandshakeException(CloseReason.SELF_CONNECTION, "the peer has our own key");
    }
    PublicKey remoteEphemeral = decodeKey(req.getPubKey(), "pubKey");
    remoteStatic = remote;
    remoteVersion = req.getClientVersion();
    remoteAdvertised = advertisedAddress(req);
    sessionId = req.getSessionId().toByteArray();
    reqHash = Hashes.sha256(message);

    HandshakeData unsigned = hello(RESP, req.getSessionId());
    byte[] signature = staticKey.sign(digest(LABEL_RESP, unsigned, reqHash));
    byte[] resp = unsigned.toBuilder().setSign(ByteString.copyFrom(signature)).build().toByteArray();
    respHash = Hashes.sha256(resp);
    keys = deriveKeys(remoteEphemeral);
    state = State.RESPONDER_SENT_RESP;
    return resp;
  }

  /** A req or resp (unsigned): our parameters, keys, fresh nonce and advertised address. */
  private HandshakeData hello(String protocol, ByteString session) {
    return HandshakeData.newBuilder()
        .setProtocol(protocol)
        .setSessionId(session)
        .setTimestamp(config.clock().getAsLong())
        .setClientVersion(config.clientVersion())
        .setNetworkID(config.networkId())
        .setNodePubKey(ByteString.copyFrom(staticKey.publicKey().toBytes()))
        .setIv(ByteString.copyFrom(randomBytes(NONCE_LENGTH)))
        .setPubKey(ByteString.copyFrom(ephemeralKey.publicKey().toBytes()))
        .setPayload(ByteString.copyFrom(advertised))
        .build();
  }

  /**
   * Tells an initiator why its request was refused, so that its dial fails with that reason rather
   * than a bare close. Unauthenticated: it only ever ends a handshake, which an attacker on the
   * path could do anyway by resetting the connection.
   */
  private byte[] reject(HandshakeData req, CloseReason reason) {
    return HandshakeData.newBuilder()
        .setProtocol(REJECT)
        .setSessionId(req.getSessionId())
        .setTimestamp(config.clock().getAsLong())
        .setClientVersion(config.clientVersion())
        .setNetworkID(config.networkId())
        .setPayload(ByteString.copyFromUtf8(reason.name()))
        .build()
        .toByteArray();
  }

  private void onRejected(HandshakeData m) throws HandshakeException {
    String said = m.getPayload().toStringUtf8();
    CloseReason reason =
        switch (said) {
          case "NETWORK_MISMATCH" -> CloseReason.NETWORK_MISMATCH;
          case "VERSION_MISMATCH" -> CloseReason.VERSION_MISMATCH;
          case "CLOCK_SKEW" -> CloseReason.CLOCK_SKEW;
          default -> CloseReason.MALFORMED_HANDSHAKE;
        };
    throw new HandshakeException(
        reason,
        "peer refused us (its network "
            + m.getNetworkID()
            + ", version '"
            + truncate(m.getClientVersion())
            + "'; ours "
            + config.networkId()
            + ", '"
            + config.clientVersion()
            + "')");
  }

  private byte[] onResponse(byte[] message) throws HandshakeException {
    HandshakeData rejected = tryParse(message);
    if (rejected != null
        && REJECT.equals(rejected.getProtocol())
        && Arrays.equals(sessionId, rejected.getSessionId().toByteArray())) {
      onRejected(rejected);
    }
    HandshakeData resp = parse(message, RESP);
    requireSession(resp);
    requireLength(resp.getIv(), NONCE_LENGTH, "iv");
    requireLength(resp.getSign(), SIGNATURE_LENGTH, "sign");
    checkPeerParameters(resp);
    PublicKey answered = decodeKey(resp.getNodePubKey(), "nodePubKey");
    if (!answered.equals(remoteStatic)) {
      throw new HandshakeException(
          CloseReason.WRONG_KEY, "dialled " + remoteStatic + " but " + answered + " answered");
    }
    PublicKey remoteEphemeral = decodeKey(resp.getPubKey(), "pubKey");
    HandshakeData unsigned = resp.toBuilder().clearSign().build();
    if (!remoteStatic.verify(digest(LABEL_RESP, unsigned, reqHash), resp.getSign().toByteArray())) {
      throw new HandshakeException(CloseReason.BAD_SIGNATURE, "response signature");
    }
    remoteVersion = resp.getClientVersion();
    remoteAdvertised = advertisedAddress(resp);
    respHash = Hashes.sha256(message);

    HandshakeData fin =
        HandshakeData.newBuilder()
            .setProtocol(FIN)
            .setSessionId(ByteString.copyFrom(sessionId))
            .setTimestamp(config.clock().getAsLong())
            .build();
    byte[] signature = staticKey.sign(digest(LABEL_FIN, fin, reqHash, respHash));
    keys = deriveKeys(remoteEphemeral);
    state = State.DONE;
    return fin.toBuilder().setSign(ByteString.copyFrom(signature)).build().toByteArray();
  }

  private void onFinish(byte[] message) throws HandshakeException {
    HandshakeData fin = parse(message, FIN);
    requireSession(fin);
    requireLength(fin.getSign(), SIGNATURE_LENGTH, "sign");
    checkTimestamp(fin.getTimestamp());
    HandshakeData unsigned = fin.toBuilder().clearSign().build();
    if (!remoteStatic.verify(
        digest(LABEL_FIN, unsigned, reqHash, respHash), fin.getSign().toByteArray())) {
      throw new HandshakeException(CloseReason.BAD_SIGNATURE, "finish signature");
    }
    state = State.DONE;
  }

  private SessionKeys deriveKeys(PublicKey remoteEphemeral) {
    byte[] shared = ephemeralKey.agree(remoteEphemeral);
    byte[] salt = Hashes.sha256(LABEL_KEYS, reqHash, respHash);
    byte[] okm = Hkdf.derive(shared, salt, HKDF_INFO, 64);
    byte[] initiatorToResponder = Arrays.copyOfRange(okm, 0, 32);
    byte[] responderToInitiator = Arrays.copyOfRange(okm, 32, 64);
    return initiator
        ? new SessionKeys(initiatorToResponder, responderToInitiator)
        : new SessionKeys(responderToInitiator, initiatorToResponder);
  }

  private void checkPeerParameters(HandshakeData m) throws HandshakeException {
    if (m.getNetworkID() != config.networkId()) {
      throw new HandshakeException(
          CloseReason.NETWORK_MISMATCH,
          "peer network " + m.getNetworkID() + ", ours " + config.networkId());
    }
    if (!ClientVersion.compatible(config.clientVersion(), m.getClientVersion())) {
      throw new HandshakeException(
          CloseReason.VERSION_MISMATCH,
          "peer version '" + truncate(m.getClientVersion()) + "', ours " + config.clientVersion());
    }
    checkTimestamp(m.getTimestamp());
  }

  private void checkTimestamp(long peerMillis) throws HandshakeException {
    long skew = Math.abs(config.clock().getAsLong() - peerMillis);
    if (skew > config.maxClockSkew().toMillis() || skew < 0) {
      throw new HandshakeException(
          CloseReason.CLOCK_SKEW,
          "peer clock differs by " + skew + " ms, at most " + config.maxClockSkew().toMillis());
    }
  }

  private void requireSession(HandshakeData m) throws HandshakeException {
    if (!Arrays.equals(sessionId, m.getSessionId().toByteArray())) {
      throw new HandshakeException(CloseReason.MALFORMED_HANDSHAKE, "sessionId does not match");
    }
  }

  private static HandshakeData parse(byte[] message, String expectedProtocol)
      throws HandshakeException {
    HandshakeData m;
    try {
      m = HandshakeData.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      throw new HandshakeException(CloseReason.MALFORMED_HANDSHAKE, "not a HandshakeData");
    }
    if (!expectedProtocol.equals(m.getProtocol())) {
      throw new HandshakeException(
          CloseReason.MALFORMED_HANDSHAKE,
          "expected " + expectedProtocol + ", got '" + truncate(m.getProtocol()) + "'");
    }
    return m;
  }

  private static HandshakeData tryParse(byte[] message) {
    try {
      return HandshakeData.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private static void requireLength(ByteString field, int length, String name)
      throws HandshakeException {
    if (field.size() != length) {
      throw new HandshakeException(
          CloseReason.MALFORMED_HANDSHAKE, name + " must be " + length + " bytes");
    }
  }

  private static PublicKey decodeKey(ByteString bytes, String name) throws HandshakeException {
    try {
      return PublicKey.fromBytes(bytes.toByteArray());
    } catch (KeyFormatException e) {
      throw new HandshakeException(CloseReason.MALFORMED_HANDSHAKE, name + ": " + e.getMessage());
    }
  }

  /**
   * SHA-256 of {@code label || hashes... || canonical(message without sign)}; see
   * docs/protocol.md.
   */
  private static byte[] digest(byte[] label, HandshakeData unsigned, byte[]... hashes) {
    MessageDigest md = Hashes.newSha256();
    md.update(label);
    for (byte[] h : hashes) {
      md.update(h);
    }
    md.update(canonical(unsigned));
    return md.digest();
  }

  /** The fields of a handshake message in a fixed order, each with a fixed size or a length. */
  static byte[] canonical(HandshakeData m) {
    byte[] version = m.getClientVersion().getBytes(StandardCharsets.UTF_8);
    byte[] protocol = m.getProtocol().getBytes(StandardCharsets.UTF_8);
    ByteString[] fields = {m.getSessionId(), m.getNodePubKey(), m.getIv(), m.getPubKey(),
        m.getPayload(), m.getHmac()};
    int size = 8 + 4 + 4 + version.length + 4 + protocol.length;
    for (ByteString f : fields) {
      size += 4 + f.size();
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    lengthPrefixed(out, protocol);
    lengthPrefixed(out, m.getSessionId().toByteArray());
    out.putLong(m.getTimestamp());
    lengthPrefixed(out, version);
    out.putInt(m.getNetworkID());
    lengthPrefixed(out, m.getNodePubKey().toByteArray());
    lengthPrefixed(out, m.getIv().toByteArray());
    lengthPrefixed(out, m.getPubKey().toByteArray());
    lengthPrefixed(out, m.getPayload().toByteArray());
    lengthPrefixed(out, m.getHmac().toByteArray());
    return out.array();
  }

  private static void lengthPrefixed(ByteBuffer out, byte[] value) {
    out.putInt(value.length);
    out.put(value);
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    config.random().nextBytes(b);
    return b;
  }

  private static String truncate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Directional AES-256-GCM keys of one side of a session. */
  record SessionKeys(byte[] sendKey, byte[] receiveKey) {}
}
