#!/bin/sh
# Installs the Debian packages appeal-packet needs to build (and, with
# --test, to run its test suite). As root it runs apt-get; otherwise it prints
# the exact apt-get line and fails, so nothing is guessed.
set -eu

BUILD_PKGS="build-essential cmake pkg-config libhpdf-dev libpng-dev zlib1g-dev libdeflate-dev libxml2-dev libcmocka-dev"
TEST_PKGS="qpdf poppler-utils mupdf-tools ghostscript libxml2-utils python3 python3-pil jq"
EXTRA_PKGS=""

want="$BUILD_PKGS"
for arg in "$@"; do
  case "$arg" in
    --test) want="$want $TEST_PKGS" ;;
    --sanitize) want="$want clang libclang-rt-14-dev valgrind" ;;
    --extra=*) EXTRA_PKGS="$EXTRA_PKGS ${arg#--extra=}" ;;
    *) echo "deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
want="$want $EXTRA_PKGS"

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "appeal-packet needs these Debian packages:$missing" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "Installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
