#!/usr/bin/env bash
# Load: gunicorn with the production settings (gunicorn.conf.py) on a seeded throwaway instance,
# driven by wrk for 30 s at 64 connections at each of (i) the slide fragment a screen polls,
# (ii) a static file with the same bytes served by the same gunicorn (the ceiling for this
# stack), (iii) a sheet page, (iv) a QR code; and (v) the loop's slides in turn, so that every
# request is also a screen report written to the database. Prints requests/s, p50/p99 latency
# and errors (non-2xx plus socket errors) per target, the ratio (i)/(ii) of this run, and the
# workers' RSS after it.
#
# Run: bench/load.sh    (DURATION=30s CONNECTIONS=64 THREADS=2 WORKERS=4 TARGETS='slide static'
#                        to change; GUNICORN_CMD_ARGS overrides gunicorn.conf.py)
# Only 127.0.0.1 is ever sent a request; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
TARGETS=${TARGETS:-slide static sheet qr loop}
BIN=.venv/bin
SCREEN=/display/waiting-room
SLIDE=$SCREEN/slides/stretch/neck-stretch

scripts/system-packages.sh wrk curl

work=$(mktemp -d /tmp/kiosk-load.XXXXXX)
# static/vendor/ is built, never committed: the copy of the slide lives there during the run.
static_copy=static/vendor/bench-slide-$$.html
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$server" 2>/dev/null || true
  fi
  rm -f "$static_copy"
  rm -rf "$work"
}
trap cleanup EXIT

export HOME=$work/home KIOSK_INSTANCE_PATH=$work/instance
export KIOSK_PUBLIC_URL=http://192.168.1.20:8000  # only printed in QR codes, never contacted
KIOSK_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export KIOSK_SECRET_KEY
[ -n "${WORKERS:-}" ] && export WEB_CONCURRENCY=$WORKERS
mkdir -p "$HOME"
$BIN/flask --app kiosk migrate >/dev/null
$BIN/flask --app kiosk seed >/dev/null

port=$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
if [ -f gunicorn.conf.py ]; then
  settings=(--config gunicorn.conf.py)
else
  settings=(--no-control-socket --worker-class gthread --workers "${WORKERS:-4}" --threads 4)
fi
# The production settings, but on the loopback only (the config binds every address).
$BIN/gunicorn "${settings[@]}" --bind "127.0.0.1:$port" wsgi:app >"$work/gunicorn.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "$base/healthz" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/gunicorn.log"; exit 1; }
  sleep 0.5
done
curl -fs -o /dev/null "$base/healthz"

# wrk asks as the paired screen does: with the cookie its pairing link gives (only a paired
# screen's requests are reports, kiosk/display/pairing.py).
report_key=$($BIN/python -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
  "SELECT report_key FROM screen WHERE slug = ?", ("waiting-room",)).fetchone()[0])' \
  "$KIOSK_INSTANCE_PATH/kiosk.sqlite3")
pairing=$(curl -fs -o /dev/null -D - "$base$SCREEN/pair/$report_key" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(kiosk_screen=[^;]*\);.*/\1/p')
[ -n "$pairing" ] || { echo "the pairing link set no cookie"; exit 1; }

# A static file of the same size: the slide fragment's own bytes, saved as a file.
curl -fs -H 'HX-Request: true' "$base$SLIDE" >"$static_copy"
size=$(wc -c <"$static_copy")

# The loop's slides, each linking to the next: (v) asks for them in turn, as a screen does, so
# every request is a new report written to the database (the heartbeat's write path).
slides=() next=$SLIDE
while [ ${#slides[@]} -lt 30 ] && [[ ! " ${slides[*]} " == *" $next "* ]]; do
  slides+=("$next")
  next=$(curl -fs -H 'HX-Request: true' "$base$next" | grep -o 'hx-get="[^"]*"' | head -1 | cut -d'"' -f2)
done
{
  echo "-- Each request asks for the next slide of the loop, as a screen does."
  printf 'local slides = {'; printf '"%s", ' "${slides[@]}"; echo '}'
  echo 'local n = 0'
  echo 'request = function()'
  echo '  n = n % #slides + 1'
  echo '  return wrk.format("GET", slides[n])'
  echo 'end'
} >"$work/loop.lua"

echo "== machine"
echo "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)," \
  "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "Linux $(uname -r), Python $($BIN/python -c 'import platform; print(platform.python_version())')," \
  "gunicorn $($BIN/gunicorn --version | awk '{print $NF}' | tr -d '()')," \
  "SQLite $($BIN/python -c 'import sqlite3; print(sqlite3.sqlite_version)'), $(wrk --version 2>&1 | head -1 | awk '{print $1, $2}')"
workers=$(pgrep -P "$server" | wc -l)
echo "gunicorn: ${settings[*]}, $workers workers; wrk: $THREADS threads, $CONNECTIONS connections, $DURATION each"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "slide fragment: $SLIDE, $size bytes ($(curl -fs -H 'HX-Request: true' -H 'Accept-Encoding: gzip' "$base$SLIDE" | wc -c) gzipped)"
echo

run() {
  local id=$1 name=$2 url=$3 out=$work/$1.txt script=()
  case " $TARGETS " in *" $id "*) ;; *) return 0 ;; esac
  [ -n "${4:-}" ] && script=(--script "$4")
  # As a screen's Chromium asks: gzip accepted, htmx's header on the slide.
  wrk --latency -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" "${script[@]}" \
    -H 'HX-Request: true' -H 'Accept-Encoding: gzip, deflate' -H "Cookie: $pairing" "$url" >"$out"
  local rps p50 p99 non2xx socket
  rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
  socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")
  printf '| %-40s | %10s | %8s | %8s | %6s |\n' "$name" "$rps" "$p50" "$p99" \
    "$(( ${non2xx:-0} + ${socket:-0} ))"
  echo "$rps" >"$work/$id.rps"
  { grep -E 'Socket errors|Non-2xx' "$out" | sed "s/^ */  $id: /" || true; } >>"$work/errors.txt"
}

printf '| %-40s | %10s | %8s | %8s | %6s |\n' target requests/s p50 p99 errors
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' $(seq 42))" "------------" "----------" "----------" "--------"
run slide "(i) slide fragment (htmx)" "$base$SLIDE"
run static "(ii) static file, same bytes" "$base/static/${static_copy#static/}"
run sheet "(iii) sheet page /s/back-pain-stretches" "$base/s/back-pain-stretches"
run qr "(iv) QR code SVG" "$base/s/back-pain-stretches/qr.svg"
run loop "(v) the loop's slides in turn (writes)" "$base" "$work/loop.lua"
echo
if [ -f "$work/slide.rps" ] && [ -f "$work/static.rps" ]; then
  awk -v a="$(cat "$work/slide.rps")" -v b="$(cat "$work/static.rps")" \
    'BEGIN {printf "ratio (i)/(ii), slide fragment to static file: %.2f\n", a / b}'
fi
[ -s "$work/errors.txt" ] && { echo "errors as wrk counted them:"; cat "$work/errors.txt"; }
echo "worker RSS after the run (MB): $(pgrep -P "$server" | xargs -r ps -o rss= -p | awk '{printf "%s%.0f", sep, $1 / 1024; sep=", "}')"
# RSS counts pages the workers share (forked from the loaded app) once in each; PSS splits them.
pss() { awk '/^Pss:/ {printf "%.0f", $2 / 1024}' "/proc/$1/smaps_rollup" 2>/dev/null || echo "?"; }
echo "proportional set size (MB): master $(pss "$server"), workers" \
  "$(for pid in $(pgrep -P "$server"); do printf '%s%s' "${sep:-}" "$(pss "$pid")"; sep=", "; done)"
echo "gunicorn log: $(grep -c '" 200 ' "$work/gunicorn.log") requests answered 200," \
  "$(grep -cE '" (5[0-9][0-9]) ' "$work/gunicorn.log" || true) answered 5xx," \
  "$(grep -c 'Traceback' "$work/gunicorn.log" || true) tracebacks," \
  "$(grep -c 'Booting worker' "$work/gunicorn.log" || true) workers booted (max_requests restarts them)"
