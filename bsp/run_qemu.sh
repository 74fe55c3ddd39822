#!/bin/bash
# Boots a Basalt image on QEMU's `virt` board (or the Raspberry Pi 3's
# `raspi3b`) with the serial port on the terminal (or in a file), and exits
# with QEMU's status: 0 after the kernel's power off (PSCI SYSTEM_OFF on
# virt, the PM watchdog's halt on raspi3b). Used by `bazel run //bsp:qemu`
# and the QEMU system tests.
#
# Options (each also accepted as --opt VALUE):
#   --board=NAME     virt (default) or raspi3b: -M raspi3b -m 1G, the
#                    device tree given with -dtb, -no-reboot. --gic, --el2,
#                    --el3, --mem and --cpu are virt's only and refused
#                    with raspi3b (its CPUs are four Cortex-A53, its RAM
#                    1 GiB, its entry EL3); --smp defaults to 4 there, the
#                    least QEMU accepts
#   --image=PATH     kernel ELF for virt (set by the Bazel target)
#   --image-raspi3b=PATH  kernel ELF for raspi3b (set by the Bazel target;
#                    without it, raspi3b boots --image)
#   --dtb-raspi3b=PATH    raspi3b's device tree blob (set by the Bazel target);
#                    `none` gives QEMU none, so the kernel finds no tree
#   --cpu=NAME       cortex-a53 | cortex-a57 (default) | cortex-a72 | cortex-a76 | max ...
#   --mem=SIZE       RAM, QEMU syntax (default 128M)
#   --smp=N          number of cores (default 1)
#   --gic=2|3        GIC version (default 2)
#   --el2            start the kernel at EL2 (virt,virtualization=on)
#   --el3            start the kernel at EL3 (virt,secure=on): every CPU
#                    starts at the entry and QEMU offers no PSCI, so the
#                    kernel halts where it would power off; with --el2 too,
#                    EL2 exists below EL3
#   --gdb[=PORT]     wait for gdb on localhost:PORT (default 1234)
#   --serial=FILE    write the serial port to FILE instead of the terminal
#   --input=FILE     feed FILE to the serial port's input (with --serial).
#                    A line "@wait TEXT" is not sent: the feeder waits until
#                    the serial output holds TEXT, then sends what follows.
#                    Nothing is sent before the kernel's first line (it
#                    resets the UART's FIFOs before that); then bytes go in
#                    only as fast as the UART takes them (QEMU reads the
#                    pipe while the PL011's FIFO has room), so input that
#                    comes before its driver is ready waits in the FIFO and
#                    the pipe instead of being lost.
#   --log=FILE       QEMU's -d int,guest_errors log to FILE (with --smp above 1,
#                    one FILE.TID per QEMU thread, so that the CPUs' events
#                    do not interleave)
#   --timeout=SECS   kill QEMU after SECS seconds (exit 124)
#   --icount         deterministic instruction counting (-icount shift=0,sleep=off)
#   --shell          boot into the interactive shell (-append basalt.shell=1):
#                    init starts it after its scenario instead of powering
#                    off. The default when standard input is a terminal and
#                    the serial port is not sent to a file; --shell forces
#                    it (piped input, fed as --input feeds its file, so
#                    that no byte is lost to the kernel's UART set-up),
#                    --no-shell turns it off.
#   --no-shell       never ask for the shell (the scenario powers off)
#   --append=TEXT    add TEXT to the kernel command line (QEMU's -append,
#                    /chosen/bootargs), e.g. basalt.init=NAME to start
#                    another embedded image as init (kernel/abi/init.h);
#                    may be given more than once
#   --help           this text
#   -- ARGS          further arguments passed to QEMU as they are
set -euo pipefail

image="" cpu="cortex-a57" mem="128M" smp="1" gic="2" el2=0 el3=0 gdb="" serial="" log="" timeout="" icount=0
board="virt" image_raspi3b="" dtb_raspi3b="" smp_given=""
# The virt-only options given, named for the error raspi3b gives.
virt_only=()
input=""
shell=""
extra=()
append=()

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

die() {
    echo "run_qemu: $*" >&2
    exit 2
}

while [[ $# -gt 0 ]]; do
    arg="$1"
    shift
    case "$arg" in
    --) extra+=("$@"); break ;;
    --help | -h) usage; exit 0 ;;
    --el2) el2=1; virt_only+=(--el2); continue ;;
    --el3) el3=1; virt_only+=(--el3); continue ;;
    --icount) icount=1; continue ;;
    --shell) shell=1; continue ;;
    --no-shell) shell=0; continue ;;
    --gdb) gdb=1234; continue ;;
    --*=*) name="${arg%%=*}" value="${arg#*=}" ;;
    --image | --cpu | --mem | --smp | --gic | --serial | --log | --timeout | --input | --board | \
        --image-raspi3b | --dtb-raspi3b | --append)
        [[ $# -gt 0 ]] || die "$arg needs a value"
        name="$arg" value="$1"
        shift
        ;;
    *) die "unknown argument '$arg' (see --help)" ;;
    esac
    case "$name" in
    --image) image="$value" ;;
    --image-raspi3b) image_raspi3b="$value" ;;
    --dtb-raspi3b) dtb_raspi3b="$value" ;;
    --board) board="$value" ;;
    --cpu) cpu="$value"; virt_only+=(--cpu) ;;
    --mem) mem="$value"; virt_only+=(--mem) ;;
    --smp) smp="$value"; smp_given=1 ;;
    --gic) gic="$value"; virt_only+=(--gic) ;;
    --gdb) gdb="$value" ;;
    --serial) serial="$value" ;;
    --log) log="$value" ;;
    --timeout) timeout="$value" ;;
    --input) input="$value" ;;
    --append) append+=("$value") ;;
    *) die "unknown option '$name' (see --help)" ;;
    esac
done

case "$board" in
virt) ;;
raspi3b)
    [[ ${#virt_only[@]} -eq 0 ]] || die "${virt_only[*]}: QEMU virt's only, not for --board=raspi3b (four Cortex-A53, 1 GiB, entered at EL3)"
    [[ -n "$dtb_raspi3b" ]] || die "no --dtb-raspi3b given for --board=raspi3b"
    [[ "$dtb_raspi3b" == none || -f "$dtb_raspi3b" ]] || die "device tree '$dtb_raspi3b' does not exist"
    [[ -z "$image_raspi3b" ]] || image="$image_raspi3b"
    # QEMU refuses fewer than four CPUs and other than 1 GiB on raspi3b.
    [[ -n "${smp_given:-}" ]] || smp=4
    mem=1G
    ;;
*) die "--board must be virt or raspi3b, not '$board'" ;;
esac
[[ -n "$image" ]] || die "no --image given"
[[ -f "$image" ]] || die "image '$image' does not exist"
[[ "$gic" == 2 || "$gic" == 3 ]] || die "--gic must be 2 or 3, not '$gic'"
[[ "$smp" =~ ^[1-9][0-9]*$ ]] || die "--smp must be a positive number, not '$smp'"
[[ -z "$gdb" || "$gdb" =~ ^[0-9]+$ ]] || die "--gdb port must be a number, not '$gdb'"
[[ -z "$timeout" || "$timeout" =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds"
[[ -z "$input" || -n "$serial" ]] || die "--input needs --serial"
[[ -z "$input" || -f "$input" ]] || die "input file '$input' does not exist"
qemu=$(command -v qemu-system-aarch64) || die "qemu-system-aarch64 not found; tools/bazel installs it (Debian package qemu-system-arm)"

# The shell by default on a terminal (someone can type), never into a file.
if [[ -z "$shell" ]]; then
    shell=0
    [[ -t 0 && -z "$serial" ]] && shell=1
fi

# Piped input for the shell (--shell, standard input not a terminal, no
# --input) is fed as an --input file is: QEMU's own standard input would
# hand the first byte to the UART at once, and the kernel's UART set-up
# (which resets the FIFOs) would lose it. The output still goes to standard
# output (and to --serial's file, if given).
piped=0
if [[ "$shell" == 1 && -z "$input" && -z "$gdb" && ! -t 0 ]]; then
    piped=1
    input=/dev/stdin
fi

if [[ "$board" == raspi3b ]]; then
    # The board has no device tree of its own: QEMU puts -dtb's blob at
    # physical 0 (bsp/raspi3b/QEMU_FACTS.md 4). Its CPU is fixed; no -nic
    # none (raspi3b has no default NIC needing a ROM).
    cmd=("$qemu" -M raspi3b -m "$mem" -smp "$smp" -nographic -no-reboot -kernel "$image")
    [[ "$dtb_raspi3b" == none ]] || cmd+=(-dtb "$dtb_raspi3b")
else
    machine="virt,gic-version=$gic"
    [[ "$el2" == 1 ]] && machine+=",virtualization=on"
    [[ "$el3" == 1 ]] && machine+=",secure=on"
    cmd=("$qemu" -M "$machine" -cpu "$cpu" -m "$mem" -smp "$smp" -nographic -no-reboot -nic none -kernel "$image")
fi
pipes=""
if [[ -n "$input" ]]; then
    # QEMU's pipe backend reads PATH.in and writes PATH.out.
    pipes=$(mktemp -d "${TMPDIR:-/tmp}/run_qemu.XXXXXX")
    mkfifo "$pipes/serial.in" "$pipes/serial.out"
    cmd+=(-chardev "pipe,id=serial0,path=$pipes/serial" -serial chardev:serial0 -monitor none)
elif [[ -n "$serial" ]]; then
    cmd+=(-serial "file:$serial" -monitor none)
fi
# With several CPUs, each on its own host thread (MTTCG), one log would
# interleave their events line by line: each thread writes FILE.TID of
# its own instead (QEMU's -d tid), which the test checker reads with FILE.
if [[ -n "$log" && "$smp" -gt 1 ]]; then
    cmd+=(-d int,guest_errors,tid -D "$log.%d")
elif [[ -n "$log" ]]; then
    cmd+=(-d int,guest_errors -D "$log")
fi
[[ -n "$gdb" ]] && cmd+=(-gdb "tcp:127.0.0.1:$gdb" -S)
[[ "$icount" == 1 ]] && cmd+=(-icount shift=0,sleep=off)
# The kernel reads /chosen/bootargs, which QEMU fills from -append
# (kernel/main/boot_flags.h); -nographic already puts the serial port on
# standard input and output.
[[ "$shell" == 1 ]] && append+=(basalt.shell=1)
[[ ${#append[@]} -eq 0 ]] || cmd+=(-append "${append[*]}")
cmd+=("${extra[@]}")

if [[ -n "$gdb" ]]; then
    echo "run_qemu: waiting for gdb: target remote localhost:$gdb" >&2
fi
[[ -n "$timeout" ]] && cmd=(timeout --kill-after=5 "$timeout" "${cmd[@]}")
if [[ -z "$input" ]]; then
    exec "${cmd[@]}"
fi

# Feeds the input file, line by line, honouring "@wait TEXT" lines. Nothing
# goes in before the kernel's first line: it sets the UART up (flushing its
# FIFOs) before it prints.
feed() {
    local line
    until [[ -s "$serial" ]]; do
        sleep 0.05
    done
    while IFS= read -r line || [[ -n "$line" ]]; do
        if [[ "$line" == "@wait "* ]]; then
            until grep -qF -- "${line#@wait }" "$serial" 2>/dev/null; do
                sleep 0.05
            done
        else
            printf '%s\n' "$line"
        fi
    done <&4
}

if [[ "$piped" == 1 ]]; then
    exec 4<&0 # a background job's standard input is /dev/null
    if [[ -z "$serial" ]]; then
        serial="$pipes/serial.txt"
    fi
    : >"$serial"
    tee -a "$serial" <"$pipes/serial.out" &
else
    exec 4<"$input"
    : >"$serial"
    cat "$pipes/serial.out" >>"$serial" &
fi
reader=$!
# Opened read-write so that neither open blocks on the other side.
exec 3<>"$pipes/serial.in"
feed >&3 &
feeder=$!
"${cmd[@]}" &
qemu_pid=$!
trap 'kill "$qemu_pid" "$feeder" 2>/dev/null' TERM INT
status=0
wait "$qemu_pid" || status=$?
kill "$feeder" 2>/dev/null || true
# The reader ends when QEMU closes the pipe; should QEMU have failed before
# opening it, it would wait for ever. The watchdog's output goes nowhere:
# holding this script's standard output open, it kept a caller reading it
# through a pipe (`out=$(... | run_qemu.sh --shell)`) waiting 2 s more.
{ sleep 2; kill "$reader" 2>/dev/null; } >/dev/null 2>&1 &
watchdog=$!
wait "$reader" 2>/dev/null || true
kill "$watchdog" 2>/dev/null || true
exec 3>&- 4<&-
rm -rf "$pipes"
exit "$status"
