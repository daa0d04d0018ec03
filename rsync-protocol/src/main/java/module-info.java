/**
 * jrsync's rsync: the protocol, the client and the transfer roles. Users see only {@code dev.jrsync.api}; the
 * other packages are opened by name to jrsync's own modules, which build the daemon, the mirror and the command
 * on them.
 */
module dev.jrsync {
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires org.bouncycastle.provider;
    requires org.lz4.java;
    requires com.github.luben.zstd_jni;
    requires hash4j;
    // Apache MINA sshd (its OSGi jar: sshd-core and sshd-common in one, which share packages), the in-process ssh;
    // its log goes to slf4j, which it needs resolved at run time (slf4j-nop drops it)
    requires org.apache.sshd.osgi;
    requires org.slf4j;

    exports dev.jrsync.api;

    exports dev.jrsync.batch to dev.jrsync.cli;
    exports dev.jrsync.checksum to dev.jrsync.rsyncd, dev.jrsync.cli;
    exports dev.jrsync.client to dev.jrsync.mirror, dev.jrsync.cli;
    exports dev.jrsync.clientserver to dev.jrsync.rsyncd, dev.jrsync.cli;
    exports dev.jrsync.core to dev.jrsync.rsyncd, dev.jrsync.watcher, dev.jrsync.mirror, dev.jrsync.cli;
    exports dev.jrsync.delta.token to dev.jrsync.cli;
    exports dev.jrsync.filter to dev.jrsync.rsyncd;
    exports dev.jrsync.flist to dev.jrsync.rsyncd;
    exports dev.jrsync.fs to dev.jrsync.rsyncd, dev.jrsync.watcher, dev.jrsync.mirror, dev.jrsync.cli;
    exports dev.jrsync.net to dev.jrsync.rsyncd;
    exports dev.jrsync.options to dev.jrsync.rsyncd, dev.jrsync.mirror, dev.jrsync.cli;
    exports dev.jrsync.session to dev.jrsync.rsyncd, dev.jrsync.cli;
    exports dev.jrsync.ui to dev.jrsync.cli;
    exports dev.jrsync.wire to dev.jrsync.rsyncd, dev.jrsync.mirror, dev.jrsync.cli;
}
