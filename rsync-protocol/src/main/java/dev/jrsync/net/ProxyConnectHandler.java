package dev.jrsync.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletableFuture;

/**
 * The tunnel through an HTTP proxy ({@code rsync/socket.c:establish_proxy_connection}), as the first step on the
 * connection: sends the {@code CONNECT} request once connected, reads the proxy's answer, then leaves the pipeline,
 * passing on whatever the daemon already sent behind the header. Until then nothing reaches the handlers behind it.
 */
final class ProxyConnectHandler extends ChannelInboundHandlerAdapter {
    private final byte[] request;
    private final ProxyResponse response = new ProxyResponse();
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    /** The partial line read so far: less than a line's limit, whatever the proxy sends. */
    private ByteBuf pending = Unpooled.EMPTY_BUFFER;

    ProxyConnectHandler(byte[] request) {
        this.request = request;
    }

    /** Completes when the tunnel is open; fails with the proxy's refusal or the connection's end. */
    CompletableFuture<Void> established() {
        return established;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(request));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = pending.isReadable() ? Unpooled.wrappedBuffer(pending, buf) : buf;
        pending = Unpooled.EMPTY_BUFFER;
        if (established.isDone()) {
            in.release(); // refused: the connection is closing
            return;
        }
        try {
            if (response.feed(in)) {
                established.complete(null);
                ctx.pipeline().remove(this);
                if (in.isReadable()) {
                    ctx.fireChannelRead(in); // the daemon's first bytes, behind the header
                } else {
                    in.release();
                }
                return;
            }
            pending = in.readableBytes() == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(in);
            in.release();
        } catch (ProxyException e) {
            in.release();
            established.completeExceptionally(e);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        established.completeExceptionally(ProxyResponse.endedEarly());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        established.completeExceptionally(cause);
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (pending != Unpooled.EMPTY_BUFFER) {
            pending.release();
            pending = Unpooled.EMPTY_BUFFER;
        }
    }
}
