#!/usr/bin/env bash
# Prepare this machine for sluice and build it: install missing Debian
# packages (as root), reserve hugepages, mount hugetlbfs and bpffs, then
# configure and compile with meson. Safe to run again: each step checks
# first and does nothing when its work is already done.
#
# Environment:
#   SLUICE_HUGEPAGES  2 MiB hugepages to have reserved (default 1024)
#   SLUICE_BUILD      build folder (default build)
set -euo pipefail

cd "$(dirname "$0")"
hugepages=${SLUICE_HUGEPAGES:-1024}
build=${SLUICE_BUILD:-build}

packages=(
	build-essential meson ninja-build pkg-config
	dpdk dpdk-dev libdpdk-dev libpcap-dev libcunit1-dev
	libbpf-dev bpftool clang llvm
	tcpdump jq iproute2 procps
)

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

install_packages() {
	local missing=() p

	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0

	[ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root to install them)"
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

reserve_hugepages() {
	local now

	now=$(cat /proc/sys/vm/nr_hugepages)
	[ "$now" -ge "$hugepages" ] && return 0
	[ "$(id -u)" -eq 0 ] || { say "only $now hugepages and not root: DPDK runs need --no-huge"; return 0; }

	say "reserving $hugepages hugepages (had $now)"
	echo "$hugepages" > /proc/sys/vm/nr_hugepages
	now=$(cat /proc/sys/vm/nr_hugepages)
	[ "$now" -ge "$hugepages" ] || say "warning: the kernel gave only $now hugepages"
}

mount_fs() {
	local type=$1 dir=$2

	if findmnt -n -t "$type" "$dir" >/dev/null 2>&1 ||
		{ [ "$type" = hugetlbfs ] && findmnt -n -t hugetlbfs >/dev/null 2>&1; }; then
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || { say "$dir is not mounted and not root: skipping"; return 0; }

	say "mounting $type on $dir"
	mkdir -p "$dir"
	mount -t "$type" "$type" "$dir"
}

build() {
	if [ ! -f "$build/build.ninja" ]; then
		say "configuring $build"
		meson setup "$build" >/dev/null
	fi
	meson compile -C "$build" >/dev/null || meson compile -C "$build"
	say "built $build/dataplane/sluice-dp"
}

install_packages
reserve_hugepages
mount_fs hugetlbfs /dev/hugepages
mount_fs bpf /sys/fs/bpf
build
