#!/usr/bin/env bash
# Show one of the clinic kiosk's screens full-screen in Chromium, and start the browser again
# whenever it exits or crashes. Run it in the desktop session of the screen's computer (the
# systemd user unit clinic-kiosk-screen.service or the autostart entry beside this script do).
#
#   launch-kiosk.sh [--print] [SERVER_URL [SCREEN] | SCREEN_URL]
#
# SERVER_URL  the kiosk server, e.g. http://192.168.1.20:8000   (or KIOSK_SERVER_URL)
# SCREEN      the screen's name in its address /display/<SCREEN> (or KIOSK_SCREEN)
# SCREEN_URL  the screen's pairing link from the console (or KIOSK_SCREEN_URL), e.g.
#             http://192.168.1.20:8000/display/waiting-room/pair/<key>: the browser opens it,
#             lands on the screen, and from then on the console believes what it reports
# --print     print the browser command it would run, and exit
#
# Settings may also live in ~/.config/clinic-kiosk/screen.env as KEY=value lines; arguments
# win over the environment, which wins over that file:
#   KIOSK_SCREEN_URL     the pairing link (or the screen's plain address): when set, it names
#                        the server and the screen, and KIOSK_SERVER_URL and KIOSK_SCREEN are
#                        not needed; keep the file readable by this user only (chmod 600)
#   KIOSK_SERVER_URL     default http://localhost:8000 (the server on this same computer)
#   KIOSK_SCREEN         default waiting-room
#   KIOSK_BROWSER        the browser program; default the first of chromium, chromium-browser,
#                        google-chrome-stable, google-chrome found on PATH
#   KIOSK_PROFILE_DIR    the browser profile, kept between starts so the screen's offline copy
#                        survives a power cut; default ~/.local/share/clinic-kiosk/chromium
#   KIOSK_WAIT_SECONDS   how long to wait for the server before the first start (default 90;
#                        the browser starts anyway after that, showing its offline copy)
#   KIOSK_RESTART_DELAY  seconds before a restart (default 2); doubled after each quick crash,
#                        up to KIOSK_RESTART_MAX_DELAY (default 60), so a browser that cannot
#                        start does not spin
set -euo pipefail

readonly STABLE_SECONDS=60  # a browser that ran this long did not crash on start
log() { echo "launch-kiosk: $*" >&2; }

print_only=0
if [[ ${1:-} == --print ]]; then
  print_only=1
  shift
fi
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi

# Settings from the file, for those not given in the environment.
config_file=${XDG_CONFIG_HOME:-$HOME/.config}/clinic-kiosk/screen.env
if [[ -r $config_file ]]; then
  while IFS='=' read -r key value; do
    case $key in
      KIOSK_SCREEN_URL | KIOSK_SERVER_URL | KIOSK_SCREEN | KIOSK_BROWSER | KIOSK_PROFILE_DIR | \
        KIOSK_WAIT_SECONDS | KIOSK_RESTART_DELAY | KIOSK_RESTART_MAX_DELAY)
        [[ -n ${!key:-} ]] || printf -v "$key" '%s' "$value" ;;
    esac
  done < <(grep -E '^[A-Z_]+=' "$config_file")
fi

# A whole address (an argument with /display/ in it, else KIOSK_SCREEN_URL) names the server and
# the screen; else they come one by one.
screen_url=''
if [[ ${1:-} == */display/* ]]; then
  screen_url=$1
elif [[ -z ${1:-} ]]; then
  screen_url=${KIOSK_SCREEN_URL:-}
fi
if [[ -n $screen_url ]]; then
  if [[ ! $screen_url =~ ^(https?://[^/?#]+)/display/[^/?#]+(/pair/[^/?#]+)?/?$ ]]; then
    log "the screen's address should be its pairing link from the console, like" \
      "http://192.168.1.20:8000/display/waiting-room/pair/<key>, not: $screen_url"
    exit 2
  fi
  server=${BASH_REMATCH[1]}
  url=${screen_url%/}
else
  server=${1:-${KIOSK_SERVER_URL:-http://localhost:8000}}
  server=${server%/}
  screen=${2:-${KIOSK_SCREEN:-waiting-room}}
  url="$server/display/$screen"
fi
# What the log shows: the pairing key is a secret, the rest is not.
shown_url=$url
if [[ $url == */pair/* ]]; then
  shown_url="${url%/pair/*}/pair/…"
fi
profile=${KIOSK_PROFILE_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/clinic-kiosk/chromium}
wait_seconds=${KIOSK_WAIT_SECONDS:-90}
restart_delay=${KIOSK_RESTART_DELAY:-2}
max_delay=${KIOSK_RESTART_MAX_DELAY:-60}
for number in "$wait_seconds" "$restart_delay" "$max_delay"; do
  [[ $number =~ ^[0-9]+$ ]] || { log "not a whole number of seconds: $number"; exit 2; }
done
if [[ ! $server =~ ^https?://[^/]+$ ]]; then
  log "the server should look like http://192.168.1.20:8000, not: $server"
  exit 2
fi

browser=${KIOSK_BROWSER:-}
if [[ -z $browser ]]; then
  for candidate in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$candidate" >/dev/null; then
      browser=$candidate
      break
    fi
  done
  if [[ -z $browser ]]; then
    log "no Chromium found: install it (sudo apt install chromium) or set KIOSK_BROWSER"
    exit 1
  fi
fi

flags=(
  --kiosk
  --no-first-run
  --noerrdialogs
  --disable-infobars
  --disable-session-crashed-bubble
  --disable-translate
  # Chromium reads only the last --disable-features: keep every feature in this one.
  "--disable-features=Translate,TranslateUI"
  --disable-pinch
  --overscroll-history-navigation=0
  --touch-events=enabled
  --autoplay-policy=no-user-gesture-required
  --check-for-update-interval=31536000
  # No "unlock your keyring" prompt on a desktop that has one.
  --password-store=basic
  # Wayland where the session is Wayland (Raspberry Pi OS Bookworm), X11 otherwise.
  --ozone-platform-hint=auto
  "--user-data-dir=$profile"
)
# Over plain http on the clinic network a page is not a "secure context": the browser would
# refuse the screen its service worker (its offline copy) and its wake lock. This server is
# trusted as if it were https. localhost is secure already, and https needs nothing.
host=${server#*://}
host=${host%:*}
if [[ $server == http://* && ! $host =~ ^(localhost|127\.[0-9.]+|\[::1\])$ ]]; then
  flags+=("--unsafely-treat-insecure-origin-as-secure=$server")
fi

if ((print_only)); then
  printf '%q ' "$browser" "${flags[@]}"
  printf '%q\n' "$url"
  exit 0
fi

browser_pid=''
helper_pids=()
sleep_pid=''
stop() {
  log "stopping"
  trap - TERM INT HUP
  local pid
  for pid in "$browser_pid" "$sleep_pid" "${helper_pids[@]}"; do
    if [[ -n $pid ]]; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  wait || true
  exit 0
}
trap stop TERM INT HUP

# Sleep in the background, so that a stop is handled at once, not after the sleep.
pause() {
  sleep "$1" &
  sleep_pid=$!
  wait "$sleep_pid" || true
  sleep_pid=''
}

keep_screen_awake() {
  if [[ -n ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
    if command -v xset >/dev/null; then
      xset s off || true
      xset s noblank || true
      xset -dpms || true
    fi
    if command -v unclutter >/dev/null; then
      unclutter -idle 1 -root &
      helper_pids+=($!)
    fi
  fi
}

wait_for_server() {
  ((wait_seconds > 0)) || return 0
  command -v curl >/dev/null || return 0
  local deadline=$((SECONDS + wait_seconds))
  until curl --silent --fail --output /dev/null --max-time 3 "$server/healthz"; do
    if ((SECONDS >= deadline)); then
      log "$server does not answer yet; starting the browser anyway (it shows its offline copy)"
      return 0
    fi
    pause 2
  done
}

# After a power cut Chromium thinks it crashed and offers to "restore pages": tell it all is well.
mark_clean_exit() {
  local preferences=$profile/Default/Preferences
  if [[ -f $preferences ]]; then
    sed -i -e 's/"exited_cleanly":false/"exited_cleanly":true/' \
      -e 's/"exit_type":"[^"]*"/"exit_type":"Normal"/' "$preferences" || true
  fi
}

mkdir -p "$profile"
keep_screen_awake
wait_for_server
delay=$restart_delay
while true; do
  mark_clean_exit
  log "starting $browser at $shown_url"
  started=$SECONDS
  "$browser" "${flags[@]}" "$url" &
  browser_pid=$!
  status=0
  wait "$browser_pid" || status=$?
  browser_pid=''
  ran=$((SECONDS - started))
  if ((ran >= STABLE_SECONDS)); then
    delay=$restart_delay
  fi
  log "the browser exited (status $status) after ${ran} s; starting it again in ${delay} s"
  pause "$delay"
  delay=$((delay * 2 > max_delay ? max_delay : delay * 2))
  ((delay > 0)) || delay=1
done
