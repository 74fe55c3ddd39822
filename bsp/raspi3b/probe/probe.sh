#!/usr/bin/env bash
# bsp/raspi3b/probe/probe.sh: builds the boot-state probe (BUILD, with the
# hermetic LLVM toolchain) and runs it on QEMU's raspi3b in the ways
# QEMU_FACTS.md reports (ELF and arm64 Image, with and without -dtb, reset
# and power off). The probe is built in every build; running it is not a
# test, but a tool to re-check the facts, e.g. on a new QEMU. Run from anywhere in the worktree; needs qemu-system-aarch64.
set -euo pipefail
root=$(git -C "$(dirname "$(readlink -f -- "$0")")" rev-parse --show-toplevel)
cd "$root"
tc="$(tools/bazel info output_base 2>/dev/null)/external/llvm_toolchain"
[[ -x $tc/usr/lib/llvm-19/bin/clang ]] || tools/bazel fetch @llvm_toolchain//:all
bin=$tc/usr/lib/llvm-19/bin
src=bsp/raspi3b/probe
out=$(mktemp -d "${TMPDIR:-/tmp}/raspi3b-probe.XXXXXX")
trap 'rm -rf "$out"' EXIT

# The probes are built by Bazel (BUILD: NAME.elf linked at its base);
# the arm64 Image forms are their flat binaries.
tools/bazel build //bsp/raspi3b/probe >/dev/null 2>&1 || tools/bazel build //bsp/raspi3b/probe
for name in elf80000 elf100000 poweroff image80000 dump; do
    cp "bazel-bin/$src/${name}_raspi3b.elf" "$out/$name.elf"
done
cp "$out/elf80000.elf" "$out/image0.elf"
for name in image0 image80000 dump; do
    "$bin/llvm-objcopy" -O binary "$out/$name.elf" "$out/$name.bin"
done
printf '/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>; memory@0 { device_type = "memory"; reg = <0 0x3c000000>; }; chosen { }; };\n' >"$out/t.dts"
"$tc/dtc.sh" -I dts -O dtb -o "$out/t.dtb" "$out/t.dts"

run() {
    echo "== qemu-system-aarch64 -M raspi3b -nographic $*"
    local status=0
    timeout 20 qemu-system-aarch64 -M raspi3b -nographic "$@" || status=$?
    echo "== exit status $status"
}
run -no-reboot -kernel "$out/elf80000.elf"
run -no-reboot -kernel "$out/elf80000.elf" -dtb "$out/t.dtb"
run -no-reboot -kernel "$out/elf100000.elf" -dtb "$out/t.dtb"
run -kernel "$out/poweroff.elf"
run -no-reboot -kernel "$out/image0.bin"
run -no-reboot -kernel "$out/image0.bin" -dtb "$out/t.dtb"
run -no-reboot -kernel "$out/image80000.bin" -dtb "$out/t.dtb"

# What QEMU does to a -dtb blob: the board's own, dumped back by the guest
# from 0x0 (ELF) and from x0 (Image), decompiled and compared.
tools/bazel build //bsp/raspi3b:raspi3b >/dev/null 2>&1
given=bazel-bin/bsp/raspi3b/raspi3b.dtb
"$tc/dtc.sh" -I dtb -O dts -o "$out/given.dts" "$given"
for image in dump.elf dump.bin; do
    timeout 20 qemu-system-aarch64 -M raspi3b -nographic -no-reboot -kernel "$out/$image" -dtb "$given" |
        tr -d '\r' | sed -n '/^D$/,/^E$/p' | sed -n 2p | xxd -r -p >"$out/got.dtb"
    echo "== -kernel $image -dtb raspi3b.dtb: the guest sees $(stat -c %s "$out/got.dtb") bytes (given: $(stat -c %s "$given")); decompiled, given vs seen:"
    "$tc/dtc.sh" -I dtb -O dts -o "$out/got.dts" "$out/got.dtb"
    diff "$out/given.dts" "$out/got.dts" || true
done
