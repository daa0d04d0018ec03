package dev.jrsync.session;

/**
 * Counters for the end-of-run summary ({@code rsync/main.c:output_summary}); one instance per run,
 * updated by the role threads.
 */
public final class TransferStats {
    public volatile long numFiles;
    public volatile long numDirs;
    public volatile long numSymlinks;
    public volatile long numDevices;
    public volatile long numSpecials;
    public volatile long createdFiles;
    public volatile long createdDirs;
    public volatile long createdSymlinks;
    public volatile long createdDevices;
    public volatile long createdSpecials;
    public volatile long deletedFiles;
    public volatile long deletedDirs;
    public volatile long deletedSymlinks;
    public volatile long deletedDevices;
    public volatile long deletedSpecials;
    public volatile long transferredFiles;
    public volatile long totalSize;
    public volatile long totalTransferredSize;
    public volatile long literalData;
    public volatile long matchedData;
    public volatile long flistSize;
    public volatile long flistBuildMillis;
    public volatile long flistXferMillis;
    public volatile long totalRead;
    public volatile long totalWritten;

    public long deletedTotal() {
        return deletedFiles + deletedDirs + deletedSymlinks + deletedDevices + deletedSpecials;
    }

    /**
     * The statistics a server sender owes the client ({@code rsync/main.c:handle_stats}): its own bytes read and
     * written (the client swaps them), the total size and the file-list times.
     */
    public void writeSenderStats(dev.jrsync.wire.ProtocolOutput out, int protocol, long bytesRead, long bytesWritten) {
        out.flush();
        out.writeVarlong30(bytesRead, 3);
        out.writeVarlong30(bytesWritten, 3);
        out.writeVarlong30(totalSize, 3);
        if (protocol >= 29) {
            out.writeVarlong30(flistBuildMillis, 3);
            out.writeVarlong30(flistXferMillis, 3);
        }
        out.flush();
    }

    /** Counts an item the receiver reported as new ({@code ITEM_IS_NEW}), by kind. */
    public void countCreated(dev.jrsync.flist.FileEntry e, int iflags) {
        if ((iflags & ItemFlags.IS_NEW) == 0) {
            return;
        }
        createdFiles++;
        if (e.isDirectory()) {
            createdDirs++;
        } else if (e.isSymlink()) {
            createdSymlinks++;
        } else if (e.isDevice()) {
            createdDevices++;
        } else if (e.isSpecial()) {
            createdSpecials++;
        }
    }
}
