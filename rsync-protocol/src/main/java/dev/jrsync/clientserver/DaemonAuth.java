package dev.jrsync.clientserver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * Daemon challenge-response authentication ({@code rsync/authenticate.c:generate_hash},
 * {@code compat.c:negotiate_daemon_auth}).
 */
public final class DaemonAuth {
    private DaemonAuth() {}

    /** Our daemon-auth digests, strongest first: the order both sides must list them in. */
    public static final List<String> DIGESTS = List.of("sha512", "sha256", "sha1", "md5", "md4");

    /** The legacy form for protocol 29 and older peers that sent no list. */
    public static final String OLD_MD4 = "md4-old";

    /**
     * Picks the digest: the first of our list that the peer also offers; without a peer list md5 for
     * protocol 30 and later, else the seeded MD4 of old. Null when the lists share nothing.
     */
    public static String choose(List<String> peerDigests, int protocol) {
        if (peerDigests == null || peerDigests.isEmpty()) {
            return protocol >= 30 ? "md5" : OLD_MD4;
        }
        for (String d : DIGESTS) {
            if (peerDigests.contains(d)) {
                return d;
            }
        }
        return null;
    }

    /** base64 without padding of DIGEST(password || challenge). */
    public static String response(String digest, String password, String challenge) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] ch = challenge.getBytes(StandardCharsets.US_ASCII);
        byte[] hash;
        if (digest.equals("md4") || digest.equals(OLD_MD4)) {
            MD4Digest md4 = new MD4Digest();
            if (digest.equals(OLD_MD4)) {
                // The pre-30 code hashed a zero checksum seed in front of the password.
                md4.update(new byte[4], 0, 4);
            }
            md4.update(pw, 0, pw.length);
            md4.update(ch, 0, ch.length);
            hash = new byte[md4.getDigestSize()];
            md4.doFinal(hash, 0);
        } else {
            MessageDigest md = jdkDigest(digest);
            md.update(pw);
            md.update(ch);
            hash = md.digest();
        }
        return Base64.getEncoder().withoutPadding().encodeToString(hash);
    }

    static MessageDigest jdkDigest(String name) {
        String jdk = switch (name) {
            case "sha512" -> "SHA-512";
            case "sha256" -> "SHA-256";
            case "sha1" -> "SHA-1";
            case "md5" -> "MD5";
            default -> throw new IllegalArgumentException("unknown auth digest " + name);
        };
        try {
            return MessageDigest.getInstance(jdk);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdk + " missing from the JDK", e);
        }
    }
}
