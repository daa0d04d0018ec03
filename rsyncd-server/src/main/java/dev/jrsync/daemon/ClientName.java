package dev.jrsync.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client's host name ({@code rsync/clientname.c:client_name}, {@code check_name}), for {@code hosts allow}/{@code hosts deny} name patterns and the log: a reverse
 * lookup of its address, kept only when a forward lookup of that name gives the address back, so that
 * whoever controls the reverse zone of an address cannot claim any name they like. The JDK's
 * {@code getCanonicalHostName} does both lookups and answers the bare address when either fails.
 */
final class ClientName {
    private ClientName() {}

    /** What rsync calls a client whose name could not be established; "hosts deny = UNKNOWN" can name it. */
    static final String UNKNOWN = "UNKNOWN";
    /** The host of a connection when reverse lookups are off ({@code reverse lookup = no}). */
    static final String UNDETERMINED = "UNDETERMINED";

    static String of(InetAddress client, DaemonLog log) {
        String addr = client.getHostAddress();
        String name;
        try {
            name = InetAddress.getByAddress(client.getAddress()).getCanonicalHostName();
        } catch (UnknownHostException e) {
            name = addr; // an address of a length no family has: cannot come from a socket
        }
        if (name.equals(addr)) {
            log.log("name lookup failed for " + addr + ": no name that maps back to it");
            return UNKNOWN;
        }
        return name;
    }
}
