#!/usr/bin/env bash
# Run one of the kiosk's commands (flask --app kiosk COMMAND ...) the way the service runs:
# as the kiosk user, with the settings in /etc/clinic-kiosk.env and the data directory
# /var/lib/clinic-kiosk. Run it with sudo, e.g.
#
#   sudo /opt/clinic-kiosk/deploy/kiosk-command.sh add-staff jade --role admin
#   sudo /opt/clinic-kiosk/deploy/kiosk-command.sh backup
#   sudo /opt/clinic-kiosk/deploy/kiosk-command.sh restore /var/lib/clinic-kiosk/backups/FILE --yes
#
# CLINIC_KIOSK_CODE, CLINIC_KIOSK_USER and CLINIC_KIOSK_ENV change where the code is, who runs
# it and which settings file it reads (defaults: /opt/clinic-kiosk, kiosk, /etc/clinic-kiosk.env).
set -euo pipefail

code=${CLINIC_KIOSK_CODE:-/opt/clinic-kiosk}
user=${CLINIC_KIOSK_USER:-kiosk}
settings=${CLINIC_KIOSK_ENV:-/etc/clinic-kiosk.env}

if [[ $# -eq 0 ]]; then
  echo "Which command? e.g. $0 urls   (the list: $0 --help)" >&2
  exit 2
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Run it with sudo: it reads $settings and runs as the $user user." >&2
  exit 1
fi

# As the service: the data directory unless the settings file says otherwise.
export KIOSK_INSTANCE_PATH=/var/lib/clinic-kiosk
if [[ -r $settings ]]; then
  set -a
  # shellcheck source=/dev/null
  source "$settings"
  set +a
fi
cd "$code"
exec runuser -u "$user" -- "$code/.venv/bin/flask" --app kiosk "$@"
