#!/bin/bash
# Stand-in for bsp/run_qemu.sh in the checker's self-test: writes the serial
# text and exception log given by FAKE_SERIAL / FAKE_LOG and exits FAKE_EXIT.
for arg in "$@"; do
    case "$arg" in
    --serial=*) printf '%b' "${FAKE_SERIAL:-}" >"${arg#--serial=}" ;;
    --log=*) printf '%b' "${FAKE_LOG:-}" >"${arg#--log=}" ;;
    esac
done
# A halted kernel never lets QEMU exit: FAKE_HANG makes this fake hang too.
if [[ -n "${FAKE_HANG:-}" ]]; then
    exec sleep 30
fi
exit "${FAKE_EXIT:-0}"
