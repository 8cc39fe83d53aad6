#!/bin/sh
# Installs (or upgrades) Courier as the systemd service deploy/courier.service describes.
#
#   sudo deploy/install.sh                    # then: sudo systemctl enable --now courier
#   deploy/install.sh --root /tmp/stage       # into a staging root (packages, tests): files only
#   options: --root DIR (or DESTDIR=DIR), --jar FILE (default server/target/server.jar)
#
# Installs /opt/courier/server.jar and README.md (the unit's Documentation=), /etc/courier/server.json
# (root:courier 0640, so the service reads it and no one else; an existing one is kept, the new one goes beside
# it as server.json.new), an empty /etc/courier/users.json (0640, only if there is none) and
# /etc/systemd/system/courier.service; makes the system user and group courier.
# With a staging root it makes no user, changes no owner and leaves systemctl alone, and says so.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
root=${DESTDIR:-}
jar=$repo/server/target/server.jar

while [ $# -gt 0 ]; do
    case $1 in
        --root) root=${2:?--root needs a directory}; shift 2 ;;
        --jar) jar=${2:?--jar needs a file}; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument '$1'; see --help" >&2; exit 2 ;;
    esac
done

if [ ! -f "$jar" ]; then
    echo "install.sh: $jar is missing: build it first with mvn -q -DskipTests package" >&2
    exit 1
fi
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run it as root (sudo deploy/install.sh), or with --root DIR to stage the files" >&2
    exit 1
fi

say() { echo "install.sh: $*"; }

if [ -z "$root" ]; then
    if ! getent passwd courier >/dev/null; then
        useradd --system --user-group --home-dir /var/lib/courier --no-create-home \
            --shell /usr/sbin/nologin --comment "Courier message server" courier
        say "made the system user courier"
    fi
else
    say "staging into $root: not making the user courier"
fi

install -d -m 0755 "$root/opt/courier" "$root/etc/courier" "$root/etc/systemd/system"
install -m 0644 "$jar" "$root/opt/courier/server.jar"
install -m 0644 "$repo/README.md" "$root/opt/courier/README.md"
install -m 0644 "$here/courier.service" "$root/etc/systemd/system/courier.service"
say "installed /opt/courier/server.jar, /opt/courier/README.md, /etc/systemd/system/courier.service"

config=$root/etc/courier/server.json
target=$config
if [ -e "$config" ]; then
    target=$config.new
    say "kept your /etc/courier/server.json; the shipped one is /etc/courier/server.json.new to compare"
fi
# Readable by the service's group only: root:courier 0640.
own() {
    if [ -z "$root" ]; then
        chown root:courier "$1"
        say "installed ${1#"$root"} as root:courier 0640"
    else
        say "installed ${1#"$root"} 0640; with a staging root its group stays $(id -gn): make it courier when deploying"
    fi
}
install -m 0640 "$here/server.json" "$target"
own "$target"
# The users file: tokens' SHA-256s and grants. Never replaced: it is the operator's. Empty, nobody but ping gets in.
users=$root/etc/courier/users.json
if [ ! -e "$users" ]; then
    install -m 0640 "$here/users.json" "$users"
    own "$users"
    say "no users yet: add them with java -jar /opt/courier/server.jar token NAME GRANT... (README, Security)"
fi

if [ -z "$root" ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    if systemctl is-active --quiet courier; then
        say "courier is running the old version: sudo systemctl restart courier"
    else
        say "now: sudo systemctl enable --now courier"
    fi
else
    say "not calling systemctl (no systemd here, or a staging root)"
fi
