package dev.jrsync.net;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Socket options a user names ({@code rsync/socket.c:set_socket_options}): the client's {@code --sockopts}, a
 * daemon's {@code socket options}. Words split at blanks and commas, each {@code NAME} or {@code NAME=VALUE} from
 * rsync's table; an unknown name, or one the JDK cannot set, is reported when parsed and skipped, as rsync reports
 * a failed {@code setsockopt} and carries on.
 */
public final class SocketOptions {
    private record Setting(ChannelOption<Object> option, Object value) {}

    /** No options: the system's defaults. */
    public static final SocketOptions NONE = new SocketOptions(List.of());

    private final List<Setting> settings;

    private SocketOptions(List<Setting> settings) {
        this.settings = settings;
    }

    /** The options {@code spec} names (null or blank: none); each word that cannot be taken goes to {@code errors}. */
    public static SocketOptions parse(String spec, Consumer<String> errors) {
        List<Setting> out = new ArrayList<>();
        if (spec != null) {
            for (String word : spec.split("[ \t,]+")) {
                if (!word.isEmpty()) {
                    setting(word, errors, out);
                }
            }
        }
        return new SocketOptions(out);
    }

    /** Sets each option on a new channel, before it connects (a client) or speaks (a daemon's). */
    public void applyTo(ChannelConfig config) {
        for (Setting s : settings) {
            try {
                config.setOption(s.option(), s.value());
            } catch (RuntimeException e) {
                // a value the system refuses (a negative buffer size): rsync's setsockopt fails and it carries on
            }
        }
    }

    private static void setting(String word, Consumer<String> errors, List<Setting> out) {
        int eq = word.indexOf('=');
        String name = eq < 0 ? word : word.substring(0, eq);
        boolean gotValue = eq >= 0;
        int value = gotValue ? atoi(word.substring(eq + 1)) : 1;
        switch (name) {
            case "SO_KEEPALIVE" -> out.add(bool(ChannelOption.SO_KEEPALIVE, value));
            case "SO_REUSEADDR" -> out.add(bool(ChannelOption.SO_REUSEADDR, value));
            case "TCP_NODELAY" -> out.add(bool(ChannelOption.TCP_NODELAY, value));
            case "SO_SNDBUF" -> out.add(number(ChannelOption.SO_SNDBUF, value));
            case "SO_RCVBUF" -> out.add(number(ChannelOption.SO_RCVBUF, value));
            // the type-of-service bits rsync's table sets, whatever value is given
            case "IPTOS_LOWDELAY", "IPTOS_THROUGHPUT" -> {
                if (gotValue) {
                    errors.accept("syntax error -- " + name + " does not take a value");
                }
                out.add(number(ChannelOption.IP_TOS, name.equals("IPTOS_LOWDELAY") ? 0x10 : 0x08));
            }
            // a broadcast permission means nothing on a stream socket: Linux takes it and nothing changes
            case "SO_BROADCAST" -> { }
            case "SO_SNDLOWAT", "SO_RCVLOWAT", "SO_SNDTIMEO", "SO_RCVTIMEO" ->
                    errors.accept("failed to set socket option " + name + ": not supported by the JDK");
            default -> errors.accept("Unknown socket option " + name);
        }
    }

    @SuppressWarnings("unchecked")
    private static Setting bool(ChannelOption<Boolean> option, int value) {
        return new Setting((ChannelOption<Object>) (ChannelOption<?>) option, value != 0);
    }

    @SuppressWarnings("unchecked")
    private static Setting number(ChannelOption<Integer> option, int value) {
        return new Setting((ChannelOption<Object>) (ChannelOption<?>) option, value);
    }

    /** C's atoi: leading blanks, a sign, the digits that follow; 0 when there are none. */
    static int atoi(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean negative = i < s.length() && s.charAt(i) == '-';
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        long v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && v <= Integer.MAX_VALUE) {
            v = v * 10 + s.charAt(i++) - '0';
        }
        return (int) (negative ? -v : v);
    }
}
