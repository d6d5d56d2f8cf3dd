package dev.kadmesh.p2p.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for one direction of a session, with an implicit counter nonce: the n-th message
 * sealed (or opened) uses nonce {@code 00 00 00 00 || uint64_be(n)}. The counter is never sent, so
 * a replayed, dropped, reordered or reflected ciphertext fails to open.
 *
 * <p>Not thread-safe: one instance serves one direction and is used by one thread at a time.
 */
public final class AeadCipher {
  /** Bytes added by sealing (the GCM tag). */
  public static final int TAG_LENGTH = 16;

  private static final int NONCE_LENGTH = 12;
  private final SecretKeySpec key;
  private final Cipher cipher;
  private final byte[] nonce = new byte[NONCE_LENGTH];
  private long counter;

  public AeadCipher(byte[] key32) {
    if (key32.length != 32) {
      throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key");
    }
    this.key = new SecretKeySpec(key32, "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is required by every Java platform", e);
    }
  }

  /** Number of messages processed so far in this direction. */
  public long counter() {
    return counter;
  }

  /** Encrypts and authenticates {@code plaintext}; the result is {@code TAG_LENGTH} bytes longer. */
  public byte[] seal(byte[] plaintext) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Encrypts and authenticates {@code plaintext} into {@code out} (e.g. a network buffer), which
   * must have room for {@code plaintext.length + TAG_LENGTH} bytes; its position moves past them.
   */
  public void seal(byte[] plaintext, ByteBuffer out) {
    if (out.remaining() < plaintext.length + TAG_LENGTH) {
      throw new IllegalArgumentException("no room for the sealed message");
    }
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
      cipher.doFinal(ByteBuffer.wrap(plaintext), out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Authenticates and decrypts the remaining bytes of {@code ciphertext} (e.g. a network buffer,
   * read without copying it first) into a new array.
   *
   * @throws AeadException if it was not sealed by the peer's matching cipher at this position
   */
  public byte[] open(ByteBuffer ciphertext) throws AeadException {
    if (ciphertext.remaining() < TAG_LENGTH) {
      throw new AeadException("ciphertext shorter than the authentication tag");
    }
    byte[] plaintext = new byte[ciphertext.remaining() - TAG_LENGTH];
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
      cipher.doFinal(ciphertext, ByteBuffer.wrap(plaintext));
      return plaintext;
    } catch (AEADBadTagException e) {
      throw new AeadException("authentication failed for message " + (counter - 1));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /**
   * Authenticates and decrypts {@code ciphertext}.
   *
   * @throws AeadException if it was not sealed by the peer's matching cipher at this position
   */
  public byte[] open(byte[] ciphertext) throws AeadException {
    if (ciphertext.length < TAG_LENGTH) {
      throw new AeadException("ciphertext shorter than the authentication tag");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
      return cipher.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new AeadException("authentication failed for message " + (counter - 1));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  private GCMParameterSpec nextNonce() {
    if (counter == -1L) {
      throw new IllegalStateException("nonce counter exhausted");
    }
    long n = counter++;
    for (int i = 0; i < 8; i++) {
      nonce[NONCE_LENGTH - 1 - i] = (byte) (n >>> (8 * i));
    }
    return new GCMParameterSpec(TAG_LENGTH * 8, nonce);
  }
}
