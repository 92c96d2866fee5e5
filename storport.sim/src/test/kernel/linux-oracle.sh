#!/usr/bin/env bash
# A real Linux kernel as the oracle for numa-spread: boots Debian's kernels under QEMU (TCG, no KVM)
# with emulated NUMA nodes and NVMe controllers, and prints the blk-mq map each kernel made.
#
#   linux-oracle.sh prepare KERNEL          download (apt-get download) and unpack a kernel, build its
#                                           initramfs; prints the directory (cached)
#   linux-oracle.sh boot DIR SOCKETS CORES THREADS NODES Q...
#                                           one boot: SOCKETS x CORES x THREADS CPUs (numbered depth-first),
#                                           NUMA nodes one per socket (NODES "-") or as CPU ranges ("0-5/6-7"),
#                                           one NVMe controller per Q with Q I/O queue pairs; prints what the
#                                           kernel made: "kernel", "node", "cpu", "hctx SERIAL HCTX CPULIST" lines
#   linux-oracle.sh record                  prepares both kernels and runs every boot of BOOTS below on each,
#                                           each boot's output after a "boot KERNEL ARGS" line
#
# KERNEL: "6.1" (the newest linux-image-6.1.0-*-amd64-unsigned Debian serves) or "6.12" (the newest
# linux-image-6.12.*-amd64-unsigned). Cache: $STORPORT_KERNEL_CACHE (default ~/.cache/storport-kernels).
# Needs qemu-system-x86, busybox-static, apt-get, dpkg-deb and xz (.ci/run installs the first two).
set -euo pipefail

cache="${STORPORT_KERNEL_CACHE:-$HOME/.cache/storport-kernels}"

die() { echo "linux-oracle: $*" >&2; exit 2; }

newest_package() {   # the newest binary package name matching an extended regex
    apt-cache search --names-only "$1" | awk '{print $1}' | grep -E "^$1\$" | sort -V | tail -1
}

prepare() {
    local kernel="$1" pattern pkg dir
    case "$kernel" in
        6.1) pattern='linux-image-6\.1\.0-[0-9]+-amd64-unsigned' ;;
        6.12) pattern='linux-image-6\.12\.[0-9]+\+deb[0-9]+-amd64-unsigned' ;;
        *) die "unknown kernel '$kernel' (6.1 or 6.12)" ;;
    esac
    command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: apt-get install qemu-system-x86"
    [ -x /bin/busybox ] || die "/bin/busybox missing: apt-get install busybox-static"
    ! ldd /bin/busybox >/dev/null 2>&1 || die "/bin/busybox is dynamically linked: apt-get install busybox-static"
    pkg="$(newest_package "$pattern")"
    [ -n "$pkg" ] || die "no package matches $pattern (apt-get update?)"
    dir="$cache/$pkg"
    if [ ! -f "$dir/initrd.cpio" ]; then
        rm -rf "$dir" && mkdir -p "$dir/deb" "$dir/root/bin" "$dir/root/mod"
        (cd "$dir" && apt-get download -q "$pkg" >/dev/null 2>&1) || die "apt-get download $pkg failed"
        dpkg-deb -x "$dir"/*.deb "$dir/deb"
        cp "$dir"/deb/boot/vmlinuz-* "$dir/vmlinuz"
        local moddir; moddir="$(echo "$dir"/deb/lib/modules/*)"
        # nvme and what it depends on (each module's depends= string), plus the crypto providers
        # crc-t10dif and crc64-rocksoft look up at load time (soft dependencies on 6.1)
        local order=()
        declare -A seen=()
        add() {
            local name="${1//_/-}" file deps d
            [ -n "${seen[$name]:-}" ] && return 0
            seen[$name]=1
            file="$(find "$moddir/kernel" \( -name "$name.ko*" -o -name "${name//-/_}.ko*" \) | head -1)"
            [ -n "$file" ] || return 0
            case "$file" in *.xz) xz -dc "$file" > "$dir/root/mod/$name.ko" ;; *) cp "$file" "$dir/root/mod/$name.ko" ;; esac
            deps="$(grep -a -o 'depends=[^[:cntrl:]]*' "$dir/root/mod/$name.ko" | head -1 | cut -d= -f2)"
            for d in ${deps//,/ }; do add "$d"; done
            order+=("$name")
        }
        for m in crc64 crct10dif-common crct10dif-generic crc64-rocksoft-generic nvme; do add "$m"; done
        printf '%s\n' "${order[@]}" > "$dir/root/mod/order"
        cp /bin/busybox "$dir/root/bin/busybox"
        cat > "$dir/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
for m in $(cat /mod/order); do insmod /mod/$m.ko 2>/dev/null; done
want=$(sed -n 's/.*storport.nvme=\([0-9]*\).*/\1/p' /proc/cmdline)
i=0
while [ "$(ls -d /sys/block/nvme*/mq 2>/dev/null | wc -l)" -lt "$want" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
echo; echo "kernel $(uname -r)"
for n in /sys/devices/system/node/node[0-9]*; do echo "node ${n##*node} $(cat $n/cpulist)"; done
for c in /sys/devices/system/cpu/cpu[0-9]*; do
  t=$c/topology; echo "cpu ${c##*cpu} $(cat $t/physical_package_id) $(cat $t/core_id) $(cat $t/thread_siblings_list)"
done
for b in /sys/block/nvme*; do
  serial=$(cat $b/device/serial 2>/dev/null | tr -d ' ')
  q=0; while [ -d $b/mq/$q ]; do echo "hctx $serial $q $(cat $b/mq/$q/cpu_list)"; q=$((q+1)); done
done
echo end
poweroff -f
EOF
        chmod +x "$dir/root/init"
        mkdir -p "$dir/root/proc" "$dir/root/sys" "$dir/root/dev"
        (cd "$dir/root" && find . | busybox cpio -o -H newc 2>/dev/null) > "$dir/initrd.cpio.tmp"
        mv "$dir/initrd.cpio.tmp" "$dir/initrd.cpio"
        rm -rf "$dir/deb" "$dir"/*.deb
    fi
    echo "$dir"
}

boot() {
    local dir="$1" sockets="$2" cores="$3" threads="$4" nodes="$5"; shift 5
    local per=$((cores * threads)) cpus=$((sockets * cores * threads)) args=() s q i=0 ranges=()
    if [ "$nodes" = "-" ]; then   # one node per socket
        for ((s = 0; s < sockets; s++)); do ranges+=("$((s * per))-$((s * per + per - 1))"); done
    else
        IFS=/ read -r -a ranges <<< "$nodes"
    fi
    for ((s = 0; s < ${#ranges[@]}; s++)); do
        args+=(-object "memory-backend-ram,id=m$s,size=256M"
               -numa "node,nodeid=$s,cpus=${ranges[$s]},memdev=m$s")
    done
    for q in "$@"; do
        args+=(-drive "if=none,id=d$i,driver=null-co,read-zeroes=on"
               -device "nvme,serial=q$q-$i,drive=d$i,max_ioqpairs=$q")
        i=$((i + 1))
    done
    # thread=single: multi-threaded TCG now and then oopsed on an int3 while the kernel patched its own text
    timeout "${STORPORT_BOOT_TIMEOUT:-45}" qemu-system-x86_64 -machine q35 -accel tcg,thread=single -cpu max,vendor=GenuineIntel -m $((${#ranges[@]} * 256))M \
        -smp "$cpus,sockets=$sockets,cores=$cores,threads=$threads" "${args[@]}" \
        -kernel "$dir/vmlinuz" -initrd "$dir/initrd.cpio" -nographic -no-reboot -nodefaults -serial stdio \
        -append "console=ttyS0 quiet panic=-1 storport.nvme=$#"
}

# The topologies the oracle boots: sockets cores threads nodes queues... (1 to 4 nodes, with and without
# SMT, 8 equal nodes, equal and unequal nodes, fewer and more queues than nodes, as many as CPUs).
# 6-12 s a boot here.
BOOTS=(
    "1 4 2 - 3 8"
    "2 2 2 - 1 2 3 4 8"
    "3 2 1 - 2 4 5 6"
    "4 2 1 - 3 5 8"
    "8 2 1 - 9 16"
    "1 8 1 0-5/6-7 3 5"
)

record_kernel() {   # every boot of BOOTS on one kernel
    local kernel="$1" dir="$2" b start out="$cache/out.$$.$1"
    for b in "${BOOTS[@]}"; do
        echo "boot $kernel $b"
        start=$SECONDS
        # a boot takes 6-13 s; should one hang, time it out at STORPORT_BOOT_TIMEOUT (default 45 s) and boot
        # again, twice (multi-threaded TCG hung or oopsed in 2 of 8 boots of 16 CPUs: boot() runs one thread)
        for attempt in 1 2 3; do
            # shellcheck disable=SC2086
            boot "$dir" $b 2>/dev/null | tr -d '\r' > "$out.raw" || true
            grep -aE '^(kernel|node|cpu|hctx|end)( |$)' "$out.raw" > "$out" || true
            grep -q '^end$' "$out" && break
            echo "linux-oracle: boot $kernel $b printed no map (attempt $attempt); its last lines:" >&2
            tail -n 5 "$out.raw" | cut -c1-200 >&2
        done
        rm -f "$out.raw"
        cat "$out"
        echo "seconds $((SECONDS - start))"
    done
    rm -f "$out"
}

record() {
    local d61 d612
    d61="$(prepare 6.1)"
    d612="$(prepare 6.12)"
    # the two kernels boot side by side: TCG keeps about one core busy per guest
    record_kernel 6.1 "$d61" > "$cache/record.$$.6.1" &
    record_kernel 6.12 "$d612" > "$cache/record.$$.6.12"
    wait
    cat "$cache/record.$$.6.1" "$cache/record.$$.6.12"
    rm -f "$cache/record.$$.6.1" "$cache/record.$$.6.12"
}

case "${1:-}" in
    record) record ;;
    prepare) [ $# -eq 2 ] || die "usage: $0 prepare 6.1|6.12"; prepare "$2" ;;
    boot) [ $# -ge 6 ] || die "usage: $0 boot DIR SOCKETS CORES THREADS NODES Q..."; shift; boot "$@" ;;
    *) die "usage: $0 prepare KERNEL | boot DIR SOCKETS CORES THREADS NODES Q... | record" ;;
esac
