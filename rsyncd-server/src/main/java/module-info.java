/** jrsync's rsync daemon. Users see only {@code dev.jrsync.api.daemon}: a daemon built from records or rsyncd.conf. */
module dev.jrsync.rsyncd {
    requires transitive dev.jrsync;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires org.lz4.java; // loaded before a chroot (ChrootPreload)
    requires com.github.luben.zstd_jni;

    exports dev.jrsync.api.daemon;

    exports dev.jrsync.daemon to dev.jrsync.cli;
}
