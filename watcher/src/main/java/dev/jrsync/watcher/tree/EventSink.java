package dev.jrsync.watcher.tree;

/** Receives resolved events on the reader thread, in kernel order, synthetic ones where their scan ran. */
@FunctionalInterface
public interface EventSink {
    void accept(TreeEvent event);
}
