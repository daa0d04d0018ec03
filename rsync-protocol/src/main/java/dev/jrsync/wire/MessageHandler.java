package dev.jrsync.wire;

/** Receives the out-of-band messages found between data frames, on the reading thread. */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(MsgCode code, byte[] payload);
}
