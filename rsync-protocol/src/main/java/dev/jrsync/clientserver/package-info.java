/**
 * The daemon protocol's opening, as both ends speak it ({@code rsync/clientserver.c}): the {@code @RSYNCD:}
 * greeting with its version and digest list, and the challenge-response authentication.
 */
package dev.jrsync.clientserver;
