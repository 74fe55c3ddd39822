#!/bin/bash
# The assembly that basalt_images generates assembles for aarch64-none: the
# object is AArch64, its .rodata.basalt_images is read-only, page-aligned and
# relocation-free, and it defines every symbol of images_linked.h with the
# sizes the testdata give (host-side contents: embed_linked_test).
# Usage: embed_aarch64_test.sh LLVM_READELF ARCHIVE
set -uo pipefail
readelf="$1"
archive="$2"
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

out=$("$readelf" -h -S -s -r --wide "$archive") || {
    echo "FAIL: llvm-readelf cannot read $archive"
    exit 1
}
grep -q 'Machine: *AArch64' <<<"$out" || fail "not an AArch64 object"
# [Nr] Name Type Address Off Size ES Flg Lk Inf Al
section=$(grep -F ' .rodata.basalt_images ' <<<"$out")
read -r -a f <<<"${section#*]}"
[[ ${f[0]} == .rodata.basalt_images && ${f[1]} == PROGBITS ]] || fail "section: $section"
[[ ${f[6]} == A ]] || fail "section flags are '${f[6]}', not A (read-only): $section"
[[ ${f[9]} == 4096 ]] || fail "section alignment ${f[9]}, not 4096: $section"
# blob 4152 bytes, then magic, count and 3 entries of 80 bytes.
[[ $((16#${f[4]})) -eq $((4152 + 8 + 3 * 80)) ]] || fail "section size 0x${f[4]}"
if grep -q 'Relocation section.*basalt_images' <<<"$out"; then
    fail "relocations against the image section"
fi
# Value Size Type Bind Vis Ndx Name
for want in "0000000000000000 4152 OBJECT GLOBAL basalt_images_blob_start" \
    "0000000000001038 0 OBJECT GLOBAL basalt_images_blob_end" \
    "0000000000001038 4 OBJECT GLOBAL basalt_images_magic" \
    "000000000000103c 4 OBJECT GLOBAL basalt_images_count" \
    "0000000000001040 240 OBJECT GLOBAL basalt_images_table"; do
    read -r value size type bind name <<<"$want"
    grep -Eq "^ *[0-9]+: $value +$size +$type +$bind +DEFAULT +[0-9]+ $name\$" <<<"$out" ||
        fail "symbol $name: want value $value size $size $type $bind"
done
[[ $status -eq 0 ]] && echo "aarch64: .rodata.basalt_images and its symbols as expected"
exit "$status"
