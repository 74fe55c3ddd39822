# Reads `llvm-objdump -d --no-show-raw-insn` of a kernel image and fails
# (exit 1, one line per finding) if code that runs with the MMU off
# references a page of [lo, hi): kernel.ld's __mmu_on_start and
# __mmu_on_end, .data and .bss, which only code run with the MMU on may use
# (.bss is zeroed then: a static written before would be wiped).
#
# That code is every function reachable by direct branches (bl, b, b.cond,
# cbz, cbnz, tbz, tbnz) from `roots` (space-separated names), plus the
# instructions of `direct` (functions checked without following their
# calls: _start, which calls bsp_main only once .bss is zeroed). With the
# MMU off, PC-relative adrp and adr are the only way code reaches a static
# (a literal address is the upper-half one, not yet mapped), and kernel.ld
# keeps [lo, hi) page aligned, so the page an adrp names tells exactly
# whether its target is inside. An indirect call (blr) cannot be followed
# and fails the check: boot_mmu.h forbids function pointers on that path.
#
# Variables: lo, hi (16 hex digits, no 0x), roots, direct.

# 16 lower-case hex digits compare as the addresses they are.
function pad(hex) {
    hex = tolower(hex)
    sub(/^0x/, "", hex)
    while (length(hex) < 16) {
        hex = "0" hex
    }
    return hex
}

# A function's first line: "ffffffffc0100284 <boot_mmu_setup>:". Functions
# are told apart by address, not name: local symbols share names (each
# object's machine outliner makes its own OUTLINED_FUNCTION_0).
/^[0-9a-f]+ <[^>]+>:$/ {
    name = $2
    sub(/^</, "", name)
    sub(/>:$/, "", name)
    current = pad($1)
    defined[current] = 1
    fname[current] = name
    byname[name] = byname[name] " " current
    next
}

# An instruction: "ffffffffc01002ac:<spaces><tab>adrp<tab>x9, 0x... <sym>".
current != "" && /^ *[0-9a-f]+:/ {
    n = split($0, field, "\t")
    if (n < 2) {
        next
    }
    count[current]++
    mnemonic[current, count[current]] = field[2]
    operands[current, count[current]] = n >= 3 ? field[3] : ""
    where = field[1]
    sub(/:.*/, "", where)
    address[current, count[current]] = where
}

# Checks the instructions of f; queues the functions it branches to when
# follow is set.
function check(f, follow,    i, m, o, target, callee) {
    for (i = 1; i <= count[f]; i++) {
        m = mnemonic[f, i]
        o = operands[f, i]
        if (m == "blr") {
            printf "%s: indirect call at %s (%s %s) cannot be checked\n", fname[f], address[f, i], m, o
            failed = 1
        } else if (m == "adrp" || m == "adr") {
            if (match(o, /0x[0-9a-f]+/) == 0) {
                printf "%s: unreadable %s at %s: %s\n", fname[f], m, address[f, i], o
                failed = 1
                continue
            }
            target = pad(substr(o, RSTART, RLENGTH))
            if (target >= lo && target < hi) {
                printf "%s: %s at %s reaches .data or .bss (%s); use MMU_OFF_BSS\n", fname[f], m,
                    address[f, i], o
                failed = 1
            }
        } else if (follow && m ~ /^(b|bl|b\.[a-z]+|cbz|cbnz|tbz|tbnz)$/ &&
                   match(o, /0x[0-9a-f]+ <[^>+]+>$/) > 0) {
            # A branch to a function's first instruction (not "<f+0x8>").
            callee = substr(o, RSTART, RLENGTH)
            sub(/ .*/, "", callee)
            callee = pad(callee)
            if (callee in defined && !(callee in seen)) {
                seen[callee] = 1
                queue[++queued] = callee
            }
        }
    }
}

END {
    if (length(lo) != 16 || lo !~ /^[0-9a-f]+$/ || length(hi) != 16 || hi !~ /^[0-9a-f]+$/ ||
        lo >= hi) {
        print "bad range: lo=" lo " hi=" hi
        exit 1
    }
    queued = 0
    split(roots, root, " ")
    for (r in root) {
        if (!(root[r] in byname)) {
            print "no function " root[r] " in the disassembly"
            failed = 1
            continue
        }
        k = split(byname[root[r]], at, " ")
        for (j = 1; j <= k; j++) {
            seen[at[j]] = 1
            queue[++queued] = at[j]
        }
    }
    for (q = 1; q <= queued; q++) {
        check(queue[q], 1)
    }
    split(direct, only, " ")
    for (d in only) {
        if (!(only[d] in byname)) {
            print "no function " only[d] " in the disassembly"
            failed = 1
            continue
        }
        k = split(byname[only[d]], at, " ")
        for (j = 1; j <= k; j++) {
            check(at[j], 0)
        }
    }
    if (!failed) {
        printf "%d functions run with the MMU off; none references [%s, %s):", queued, lo, hi
        for (q = 1; q <= queued; q++) {
            printf " %s", fname[queue[q]]
        }
        printf "\n"
    }
    exit failed
}
