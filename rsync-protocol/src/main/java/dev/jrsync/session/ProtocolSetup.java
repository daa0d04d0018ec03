package dev.jrsync.session;

import dev.jrsync.checksum.ChecksumChoice;
import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * The raw exchange right after the argument list ({@code rsync/compat.c:setup_protocol},
 * {@code negotiate_the_strings}): compat flags, checksum and compression names, the checksum seed.
 */
public final class ProtocolSetup {
    private ProtocolSetup() {}

    /** rsync's cap on a negotiation string ({@code MAX_NSTR_STRLEN}). */
    public static final int MAX_NEGOTIATION_STRING = 1024;

    /**
     * The client side: read what the server decided, negotiate names, read the seed. Incremental recursion is
     * accepted only when our capability letters offered it ({@link ServerArgs#capabilities}).
     */
    public static SessionParams client(Connection conn, Options options, int protocol, boolean serverIsSender) {
        requireAttrProtocol(options, protocol);
        int compat = 0;
        if (protocol >= 30) {
            compat = conn.in().readVarint();
            if ((compat & CompatFlags.INC_RECURSE) != 0
                    && ServerArgs.capabilities(options, serverIsSender).indexOf('i') < 0) {
                // rsync/compat.c:setup_protocol: inc_recurse && !allow_inc_recurse
                throw new RsyncException(ExitCode.SYNTAX, "Incompatible options specified for inc-recursive connection.");
            }
        }
        boolean negotiate = (compat & CompatFlags.VARINT_FLIST_FLAGS) != 0;
        String csumChoice = options.effectiveChecksumChoice();
        boolean compress = options.compressionRequested();
        CompressionType explicit = options.explicitCompression();
        boolean sendCsumList = negotiate && csumChoice == null;
        boolean sendCompressList = negotiate && compress && explicit == null;
        // A stock daemon writes its compat flags, each list's length and each list as separate small writes with
        // Nagle on, and later the seed the same way: each waits for our ACK of the previous one, which the kernel
        // delays by up to 40 ms. Writing the first byte of our lists right away, and the rest once the server's
        // lists are in, puts an ACK on the wire at both moments (rsync/compat.c:negotiate_the_strings has both
        // sides write before reading, so neither order can deadlock).
        // rsync/compat.c:getenv_nstr: a batch's reader negotiates nothing, so its writer offers the old choices only
        boolean writesBatch = options.batch() != null && options.batch().writes();
        String ourCsums = writesBatch ? "md5" : ChecksumType.defaultList(false);
        String ourCompressions = writesBatch ? "zlib" : CompressionType.negotiationList(false);
        ByteArrayOutputStream lists = new ByteArrayOutputStream();
        ProtocolOutput listOut = new ProtocolOutput(lists, protocol);
        if (sendCsumList) {
            listOut.writeVstring(ourCsums);
        }
        if (sendCompressList) {
            listOut.writeVstring(ourCompressions);
        }
        listOut.flush();
        byte[] ours = lists.toByteArray();
        int early = Math.min(1, ours.length);
        conn.out().write(ours, 0, early);
        conn.out().flush();
        String serverCsumList = sendCsumList ? conn.in().readVstring(MAX_NEGOTIATION_STRING) : null;
        String serverCompressList = sendCompressList ? conn.in().readVstring(MAX_NEGOTIATION_STRING) : null;
        conn.out().write(ours, early, ours.length - early);
        conn.out().flush();

        ChecksumChoice checksums;
        if (csumChoice != null) {
            checksums = explicitChecksums(csumChoice, protocol);
        } else if (sendCsumList) {
            checksums = ChecksumChoice.of(ChecksumType.negotiate(
                            ChecksumType.splitList(ourCsums),
                            ChecksumType.splitList(serverCsumList))
                    .orElseThrow(() -> new RsyncException(ExitCode.UNSUPPORTED,
                            "Failed to negotiate a checksum choice (server offers: " + serverCsumList + ")")));
        } else {
            checksums = ChecksumChoice.of(ChecksumType.protocolDefault(protocol));
        }

        CompressionType compression = CompressionType.NONE;
        if (compress) {
            if (sendCompressList) {
                compression = CompressionType.negotiate(ourCompressions, serverCompressList)
                        .orElseThrow(() -> new RsyncException(ExitCode.UNSUPPORTED,
                                "Failed to negotiate a compression choice (server offers: " + serverCompressList + ")"));
            } else {
                compression = CompressionType.withoutNegotiation(Optional.ofNullable(explicit));
            }
        }
        int seed = conn.in().readInt();
        SessionParams params = params(options, protocol, compat, checksums, compression, seed);
        tellChoices(options, conn.log(), params, sendCsumList, sendCompressList);
        return params;
    }

    /**
     * {@code --debug=NSTR}: the client tells the checksum and the compression it uses, and whether the two ends
     * negotiated them ({@code rsync/checksum.c:parse_checksum_choice}, {@code rsync/compat.c:parse_compress_choice}).
     */
    public static void tellChoices(Options options, SessionLog log, SessionParams params, boolean checksumNegotiated,
                                   boolean compressionNegotiated) {
        if (options.debugLevel("NSTR") < 1) {
            return;
        }
        log.info("Client" + (checksumNegotiated ? " negotiated" : "") + " checksum: "
                + params.checksums().transfer().wireName());
        if (params.compression() != CompressionType.NONE) {
            log.info("Client" + (compressionNegotiated ? " negotiated" : "") + " compress: "
                    + params.compression().wireName() + " (level " + params.compressLevel() + ")");
        }
    }

    /**
     * rsync/compat.c:setup_protocol: ACLs and attribute sets travel in file lists from protocol 30 on; the fuzzy
     * basis, several basis directories, a basis directory with --inplace and pruned directories need the basis
     * types and item flags of protocol 29.
     */
    private static void requireAttrProtocol(Options options, int protocol) {
        if (protocol < 29) {
            String needs29 = options.fuzzyLevel() > 0 ? "--fuzzy"
                    : options.basisDirs().size() == 1 && options.inplaceMode() ? options.altDest().option() + " with --inplace"
                    : options.basisDirs().size() > 1 ? "Using more than one " + options.altDest().option() + " option"
                    : options.pruneEmptyDirs() ? "--prune-empty-dirs" : null;
            if (needs29 != null) {
                throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, needs29 + " requires protocol 29 or higher"
                        + " (negotiated " + protocol + ").");
            }
        }
        if (options.acls() && protocol < 30) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "--acls requires protocol 30 or higher"
                    + " (negotiated " + protocol + ").");
        }
        if (options.xattrs() > 0 && protocol < 30) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "--xattrs requires protocol 30 or higher"
                    + " (negotiated " + protocol + ").");
        }
    }

    /** Applies {@code --compress-level}: the sender's level, or no compression at an "off" level. */
    private static SessionParams params(Options options, int protocol, int compat, ChecksumChoice checksums,
                                        CompressionType compression, int seed) {
        int level = compression.resolveLevel(options.compressLevel() == null ? CompressionType.LEVEL_NOT_SPECIFIED : options.compressLevel());
        if (options.compressLevel() != null && compression.levelDisablesCompression(options.compressLevel())) {
            compression = CompressionType.NONE;
        }
        return new SessionParams(protocol, compat, checksums, compression, level, options.compressThreads(), seed);
    }
    /** The versions a peer may announce at all ({@code rsync/rsync.h}: MIN_ and MAX_PROTOCOL_VERSION). */
    private static final int ANY_MIN = 20;
    private static final int ANY_MAX = 40;

    /**
     * The version exchange of a session without a daemon's greeting, over a remote shell ({@code
     * rsync/compat.c:setup_protocol} with {@code remote_protocol} 0): each side writes its version as an int before
     * it reads the other's, and both speak the lower. A number no rsync sends means that something else wrote to
     * the stream first, such as a login script's greeting.
     *
     * @return the protocol the session speaks, at least {@code min}
     */
    public static int exchangeVersions(Connection conn, int ours, int min) {
        conn.out().writeInt(ours);
        conn.out().flush();
        int theirs = conn.in().readInt();
        if (theirs < ANY_MIN || theirs > ANY_MAX) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE,
                    "protocol version mismatch -- is your shell clean?\n(see the rsync manpage for an explanation)");
        }
        int protocol = Math.min(ours, theirs);
        if (protocol < min) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "protocol version mismatch -- the peer speaks "
                    + theirs + ", jrsync needs at least " + min);
        }
        conn.setProtocol(protocol);
        return protocol;
    }

    /**
     * The server side ({@code rsync/compat.c:setup_protocol} with {@code am_server}): grant the compat
     * flags the client's capability letters ask for (incremental recursion only when asked to), exchange the name
     * lists when the client speaks varint flags, pick the first name of the client's list we also have,
     * and send the checksum seed ({@code --checksum-seed} when given, else {@code seed}).
     *
     * @param incRecurse whether this server may grant incremental recursion in its role ({@code options.sender}),
     *                   which it then does as {@code rsync/compat.c:set_allow_inc_recurse} allows
     */
    public static SessionParams server(Connection conn, Options options, String clientInfo, int protocol, int seed,
                                       boolean incRecurse) {
        requireAttrProtocol(options, protocol);
        int compat = 0;
        if (protocol >= 30) {
            compat = CompatFlags.forClientInfo(clientInfo);
            boolean allowed = options.sender() ? ServerArgs.sendsIncrementally(options) : options.allowIncRecurse(false);
            if (incRecurse && clientInfo.indexOf('i') >= 0 && allowed) {
                compat |= CompatFlags.INC_RECURSE;
            }
            // 'V' was a pre-release spelling of 'v' whose peers read the flags as one byte.
            if (clientInfo.indexOf('V') >= 0) {
                conn.out().writeByte(compat | CompatFlags.VARINT_FLIST_FLAGS);
                compat |= CompatFlags.VARINT_FLIST_FLAGS;
            } else {
                conn.out().writeVarint(compat);
            }
        }
        boolean negotiate = (compat & CompatFlags.VARINT_FLIST_FLAGS) != 0;
        String csumChoice = options.effectiveChecksumChoice();
        boolean compress = options.compressionRequested();
        CompressionType explicit = options.explicitCompression();
        boolean csumLists = negotiate && csumChoice == null;
        boolean compressLists = negotiate && compress && explicit == null;
        // Both sides write their lists before reading the peer's (rsync/compat.c:negotiate_the_strings).
        if (csumLists) {
            conn.out().writeVstring(ChecksumType.defaultList(true));
        }
        if (compressLists) {
            conn.out().writeVstring(CompressionType.negotiationList(true));
        }
        conn.out().flush();

        ChecksumChoice checksums;
        if (csumChoice != null) {
            checksums = explicitChecksums(csumChoice, protocol);
        } else if (csumLists) {
            String clientList = conn.in().readVstring(MAX_NEGOTIATION_STRING);
            checksums = ChecksumChoice.of(ChecksumType.negotiate(
                            ChecksumType.splitList(clientList), ChecksumType.splitList(ChecksumType.defaultList(true)))
                    .orElseThrow(() -> new RsyncException(ExitCode.UNSUPPORTED,
                            "Failed to negotiate a checksum choice (client offers: " + clientList + ")")));
        } else {
            checksums = ChecksumChoice.of(ChecksumType.protocolDefault(protocol));
        }

        CompressionType compression = CompressionType.NONE;
        if (compress) {
            if (compressLists) {
                String clientList = conn.in().readVstring(MAX_NEGOTIATION_STRING);
                compression = CompressionType.negotiate(clientList, CompressionType.negotiationList(true))
                        .orElseThrow(() -> new RsyncException(ExitCode.UNSUPPORTED,
                                "Failed to negotiate a compression choice (client offers: " + clientList + ")"));
            } else {
                compression = CompressionType.withoutNegotiation(Optional.ofNullable(explicit));
            }
        }
        int chosenSeed = options.checksumSeed() != 0 ? options.checksumSeed() : seed;
        conn.out().writeInt(chosenSeed);
        conn.out().flush();
        return params(options, protocol, compat, checksums, compression, chosenSeed);
    }

    /** A {@code --checksum-choice} both sides then use without negotiating; an unknown name is exit 4. */
    private static ChecksumChoice explicitChecksums(String choice, int protocol) {
        try {
            return ChecksumChoice.parse(choice, protocol);
        } catch (IllegalArgumentException e) {
            throw new RsyncException(ExitCode.UNSUPPORTED, e.getMessage());
        }
    }
}
