package dev.jrsync.testing;

import com.sun.security.auth.module.UnixSystem;

/** The uid/gid the test JVM runs as: several interop behaviours (ownership, daemon uid switching) depend on root. */
public final class CurrentUser {

    private static final UnixSystem SYSTEM = new UnixSystem();

    private CurrentUser() {
    }

    public static long uid() {
        return SYSTEM.getUid();
    }

    public static long gid() {
        return SYSTEM.getGid();
    }

    /** True when running as uid 0, so files can be chowned and a daemon may keep root for its modules. */
    public static boolean isRoot() {
        return uid() == 0;
    }
}
