package dev.jrsync.bench.sidebyside;

/**
 * One timed run of a command.
 *
 * @param millis      wall time, process start to exit
 * @param peakRssKib  the highest resident set size seen (VmHWM) across the process and its children
 * @param wireBytes   bytes sent plus received on the socket, from the client's {@code --stats}; -1 if none
 */
record Measured(long millis, long peakRssKib, long wireBytes) {
}
