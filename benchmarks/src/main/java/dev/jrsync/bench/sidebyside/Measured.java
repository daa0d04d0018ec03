package dev.jrsync.bench.sidebyside;

/**
 * One timed run: of a client command, or of a daemon serving one or more stock clients.
 *
 * @param wallMicros  wall time, first process start to last exit
 * @param cpuMicros   user + system CPU time: of the command and every process it started (rsync's forked
 *                    processes, the JVM's threads), or of the daemon and its sessions on a daemon row
 * @param peakRssKib  the highest resident set size: the larger of wait4's ru_maxrss and the sum of VmHWM over
 *                    the command's live processes, or over the daemon's on a daemon row
 * @param wireBytes   bytes sent plus received on the socket, from the clients' {@code --stats}; -1 if none
 */
record Measured(long wallMicros, long cpuMicros, long peakRssKib, long wireBytes) {
}
