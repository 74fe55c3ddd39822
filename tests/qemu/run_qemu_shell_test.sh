#!/bin/bash
# bsp/run_qemu.sh asks for the shell (-append basalt.shell=1) exactly when it
# should: with --shell, or by default when standard input is a terminal and
# the serial port is not sent to a file; never with --no-shell, piped input
# or --serial; --append's text goes into the same -append. A stand-in
# qemu-system-aarch64 records its arguments.
set -uo pipefail
runner="$1"
tmp=$(mktemp -d "${TEST_TMPDIR:-/tmp}/run_qemu_shell.XXXXXX")
mkdir -p "$tmp/bin"
cat >"$tmp/bin/qemu-system-aarch64" <<'FAKE'
#!/bin/bash
printf '%s\n' "$@" >"$ARGS_OUT"
# Like QEMU, open the serial pipe's output side (and close it): run_qemu's
# reader ends at once instead of at its 2 s watchdog.
for arg in "$@"; do
    [[ "$arg" == pipe,id=serial0,path=* ]] && : >"${arg#pipe,id=serial0,path=}.out"
done
exit 0
FAKE
chmod +x "$tmp/bin/qemu-system-aarch64"
: >"$tmp/image.elf"
export PATH="$tmp/bin:$PATH" ARGS_OUT="$tmp/args"
status=0

# run WANT(shell|none) DESCRIPTION TTY(tty|pipe) ARGS...
run() {
    local want="$1" what="$2" how="$3" got=none
    shift 3
    rm -f "$ARGS_OUT"
    if [[ "$how" == tty ]]; then
        # script(1) gives the runner a pseudo-terminal on standard input.
        local cmd
        printf -v cmd '%q ' "$runner" --image="$tmp/image.elf" "$@"
        script -qec "$cmd" /dev/null </dev/null >/dev/null 2>&1
    else
        echo ps | "$runner" --image="$tmp/image.elf" "$@" >/dev/null 2>&1
    fi
    if [[ ! -f "$ARGS_OUT" ]]; then
        echo "FAIL: $what: QEMU was not started"
        status=1
        return
    fi
    grep -qx -- '-append' "$ARGS_OUT" && grep -qx 'basalt.shell=1' "$ARGS_OUT" && got=shell
    if [[ "$got" != "$want" ]]; then
        echo "FAIL: $what: got $got, expected $want"
        status=1
    fi
}

run none "piped input" pipe
run shell "piped input with --shell" pipe --shell
run none "--shell then --no-shell" pipe --shell --no-shell
run shell "a terminal" tty
run none "a terminal with --no-shell" tty --no-shell
run none "a terminal with --serial" tty --serial="$tmp/serial.txt"
run shell "a terminal with --serial and --shell" tty --serial="$tmp/serial.txt" --shell

# The other options still reach QEMU.
echo | "$runner" --image="$tmp/image.elf" --shell --gic=3 --cpu=cortex-a53 -- -d int >/dev/null 2>&1
for want in virt,gic-version=3 cortex-a53 basalt.shell=1 int; do
    grep -qx -- "$want" "$ARGS_OUT" || { echo "FAIL: '$want' not passed to QEMU"; status=1; }
done
# Piped input for the shell goes through QEMU's pipe backend (fed after the
# kernel's first line), never through QEMU's own standard input.
echo ps | "$runner" --image="$tmp/image.elf" --shell >/dev/null 2>&1
grep -q '^pipe,id=serial0,path=' "$ARGS_OUT" || { echo "FAIL: piped input with --shell not fed through a pipe chardev"; status=1; }
echo ps | "$runner" --image="$tmp/image.elf" >/dev/null 2>&1
grep -q '^pipe,' "$ARGS_OUT" && { echo "FAIL: piped input without the shell fed through a pipe chardev"; status=1; }
# --append adds to the one command line QEMU gets (a second -append would
# replace the first), in order, the shell's flag last.
echo | "$runner" --image="$tmp/image.elf" --append=basalt.init=smoke --append "a b" --shell >/dev/null 2>&1
got=$(grep -cx -- '-append' "$ARGS_OUT")
[[ "$got" == 1 ]] || { echo "FAIL: --append with --shell gave $got -append options, not 1"; status=1; }
grep -qx -- 'basalt.init=smoke a b basalt.shell=1' "$ARGS_OUT" ||
    { echo "FAIL: --append with --shell: the command line is not 'basalt.init=smoke a b basalt.shell=1'"; status=1; }
echo | "$runner" --image="$tmp/image.elf" --append=basalt.init=smoke >/dev/null 2>&1
grep -qx -- 'basalt.init=smoke' "$ARGS_OUT" || { echo "FAIL: --append alone not passed to QEMU"; status=1; }
echo | "$runner" --image="$tmp/image.elf" >/dev/null 2>&1
grep -qx -- '-append' "$ARGS_OUT" && { echo "FAIL: -append given to QEMU with nothing to append"; status=1; }
[[ "$status" == 0 ]] && echo "run_qemu.sh asks for the shell exactly when it should, and passes --append"
exit "$status"
