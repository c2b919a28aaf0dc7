# shellcheck shell=bash
# Installs Debian packages for the test scripts: `debian_install PACKAGE...`.
#
# Refreshes the package lists first when they are missing or older than a day (a fresh
# machine has none, and yesterday's lists may name versions the mirror no longer has), at
# most once per process, then installs without recommends. Needs root or sudo.

debian_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

debian_lists_are_fresh() {
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null)" ]
}

debian_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${DEBIAN_LISTS_UPDATED:-}" ] && ! debian_lists_are_fresh; then
    printf 'debian: refreshing the package lists (apt-get update)\n'
    debian_as_root apt-get update -qq
    DEBIAN_LISTS_UPDATED=1
  fi
  printf 'debian: installing %s\n' "$*"
  debian_as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
