#!/usr/bin/env bash
# Change-to-replica latency of the classic "inotifywait -m | while read; do rsync; done" loop into a stock rsync
# daemon on loopback, for comparison with jrsync --watch (WatchMirrorTest measures the same 40 rewrites).
#
#   cli/scripts/inotifywait-rsync-latency.sh [extra rsync options, e.g. -I]
#
# Needs rsync and inotifywait (inotify-tools). Prints one line: median, p99 and lost rewrites (a rewrite that has
# not arrived 2 s later counts as lost; the next rewrite then goes on).
set -euo pipefail

work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/src/notes" "$work/dst"
file="$work/src/notes/today.txt"
replica="$work/dst/notes/today.txt"
printf 'rewrite 00 of 40\n' > "$file"
port=$((20000 + RANDOM % 20000))
cat > "$work/rsyncd.conf" <<CONF
reverse lookup = no
use chroot = no
pid file = $work/rsyncd.pid
[mod]
path = $work/dst
read only = no
uid = $(id -u)
gid = $(id -g)
CONF
rsync --daemon --no-detach --config="$work/rsyncd.conf" --port="$port" --address=127.0.0.1 &
pids+=($!)
dest="rsync://127.0.0.1:$port/mod/"
for _ in $(seq 50); do rsync "rsync://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
rsync -a --delete "$@" "$work/src/" "$dest"

mkfifo "$work/events"
inotifywait -m -r -q -e close_write,create,delete,move,attrib --format '%w%f' "$work/src" > "$work/events" &
pids+=($!)
while read -r _; do rsync -a --delete "$@" "$work/src/" "$dest"; done < "$work/events" &
pids+=($!)
sleep 0.5 # inotifywait sets up its watches

lost=0
: > "$work/micros"
for i in $(seq 1 40); do
    content=$(printf 'rewrite %02d of 40' "$i")
    printf '%s\n' "$content" > "$file"
    t0=$(date +%s%N)
    while [ "$(cat "$replica" 2>/dev/null)" != "$content" ]; do
        if [ $(( $(date +%s%N) - t0 )) -gt 2000000000 ]; then lost=$((lost + 1)); break; fi
    done
    t1=$(date +%s%N)
    [ "$(cat "$replica" 2>/dev/null)" = "$content" ] && echo $(( (t1 - t0) / 1000 )) >> "$work/micros"
done
sort -n "$work/micros" > "$work/sorted"
n=$(wc -l < "$work/sorted")
if [ "$n" -eq 0 ]; then echo "inotifywait+rsync $*: all 40 rewrites lost"; exit 0; fi
median=$(sed -n "$(( (n + 1) / 2 ))p" "$work/sorted")
p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$work/sorted")
printf 'inotifywait+rsync %s: median %.1f ms, p99 %.1f ms over %d arrived, %d of 40 lost\n' "$*" \
    "$(echo "$median / 1000" | bc -l)" "$(echo "$p99 / 1000" | bc -l)" "$n" "$lost"
