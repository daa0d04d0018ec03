package dev.jrsync.fs;

import dev.jrsync.core.PathBytes;

/**
 * Whether a symlink leads out of the transfer ({@code rsync/util1.c:unsafe_symlink}), for
 * {@code --safe-links} (the receiver ignores it) and {@code --copy-unsafe-links} (the sender sends its referent).
 * The link's own name, relative to the transfer's root, gives how many ".." its target may climb; an absolute or
 * empty target is always unsafe, and so is a ".." anywhere but at the start of the target, or at its end.
 */
public final class SymlinkSafety {
    private SymlinkSafety() {}

    /**
     * @param target the link's target as stored
     * @param name   the link's name relative to the transfer root ("sub/link")
     */
    public static boolean unsafe(byte[] target, byte[] name) {
        String t = PathBytes.text(target);
        if (t.isEmpty() || t.startsWith("/")) {
            return true;
        }
        String afterLeadingUps = t;
        while (afterLeadingUps.startsWith("../")) {
            afterLeadingUps = afterLeadingUps.substring(3).replaceFirst("^/+", "");
        }
        if (afterLeadingUps.contains("/../") || t.length() > 3 && t.endsWith("/..")) {
            return true;
        }
        int depth = 0;
        String[] own = PathBytes.text(name).split("/", -1);
        for (int i = 0; i < own.length - 1; i++) {
            if (own[i].equals("..")) {
                depth = 0;
            } else if (!own[i].isEmpty() && !own[i].equals(".")) {
                depth++;
            }
        }
        if (own[own.length - 1].equals("..")) {
            depth = 0;
        }
        String[] parts = t.split("/", -1);
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!parts[i].isEmpty() && !parts[i].equals(".")) {
                depth++;
            }
        }
        if (parts[parts.length - 1].equals("..")) {
            depth--;
        }
        return depth < 0;
    }
}
