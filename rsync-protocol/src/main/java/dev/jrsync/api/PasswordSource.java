package dev.jrsync.api;

/** Supplies a daemon password, asked only when the module demands one. */
@FunctionalInterface
public interface PasswordSource {
    /** The password of {@code user} for {@code module}, or null for none (the daemon then refuses the session). */
    String password(String user, String module);
}
