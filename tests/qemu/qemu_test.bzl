"""qemu_test: boot //bsp:image (or a board's image) in QEMU and check serial output and exceptions."""

load("//bsp/common:images.bzl", "boot_tests", "test_sets")

_MIB = {"128M": 128, "512M": 512, "1G": 1024, "1152M": 1152, "2G": 2048, "4G": 4096}

# What differs per board in a boot's markers: where the blob and the image
# are, and the RAM the kernel is given (raspi3b: always the ARM's 960 MiB of
# QEMU's 1 GiB, bsp/raspi3b/QEMU_FACTS.md 6).
_BOARDS = {
    "qemu_virt": struct(
        dtb = "0x0000000040000000",
        image = "0xffffffffc0100000 (physical 0x0000000040100000)",
        image_label = "//bsp:image",
        test_image_label = "//bsp:image_test",
        package = "qemu_virt",
        ram_mib = None,
        # A one-core boot starts no other.
        cpu_notes = [],
    ),
    "raspi3b": struct(
        dtb = "0x0000000000000000",
        image = "0xffffffffc0080000 (physical 0x0000000000080000)",
        image_label = "//bsp:image_raspi3b",
        test_image_label = "//bsp:image_raspi3b_test",
        package = "raspi3b",
        ram_mib = 960,
        # The other three cores stay parked (bsp/raspi3b/board.c).
        cpu_notes = [
            "basalt: CPU %d did not start: the kernel does not release spin-table CPUs yet" % i
            for i in range(1, 4)
        ],
    ),
}

# The raspi3b runs take its device tree (QEMU's raspi3b has none).
_RASPI3B_DTB = "//bsp:image_raspi3b_dtb"

def boot_markers(el = 1, mem = "128M", board = "qemu_virt", cpus = 1, cpu_notes = None):
    """The lines a clean boot entered at exception level `el` with `mem` RAM and `cpus` CPUs online prints, in order.

    The text comes from kernel/main/boot_markers.h and bsp/common/cpus.c;
    a trailing "*" matches any line that begins with the rest. On raspi3b,
    `el` is 3 and `mem` is QEMU's fixed 1G. `cpu_notes` are the lines
    expected before the CPU count (a CPU that did not start); by default,
    the board's.
    """
    b = _BOARDS[board]
    return [
        "basalt: boot",
        "basalt: entered at EL%d, dtb at %s" % (el, b.dtb),
        "basalt: MMU on, direct map at 0xffff000000000000",
        "basalt: high half active, image at %s" % b.image,
        "basalt: memory: %d MiB RAM, *" % (b.ram_mib or _MIB[mem]),
        "basalt: interrupts on, timer at 100 Hz",
        "basalt: init loaded, *",
    ] + (b.cpu_notes if cpu_notes == None else cpu_notes) + [
        "basalt: %d CPUs online" % cpus,
        "basalt: power off",
    ]

def _quote(arg):
    """Protects arg from the shell tokenization Bazel applies to test args."""
    if "'" in arg:
        fail("qemu_test arguments cannot contain a single quote: " + arg)
    return "'" + arg + "'"

_SUITE_TAG = "qemu_suite"
_CASE_TAG = "qemu_case"
_BOARD_TAG = "qemu_board_"

# Tags that keep a test out of the default `tools/bazel test //...` (.bazelrc):
# such a test stays a target of its own, so that it keeps its tier.
_OWN_TIER_TAGS = ["long", "integration"]

def qemu_test(name, qemu_args = [], expect = None, forbid = [], expect_exit = 0, allow_log = [], image = None, init = None, boot_test = None, input = None, board = "qemu_virt", data = [], **kwargs):
    """A QEMU system test: boots `image` with run_qemu options `qemu_args` and checks its output.

    `board` is the QEMU machine: "qemu_virt" (default) or "raspi3b", which
    runs run_qemu --board=raspi3b with the board's device tree; `image`
    defaults to the board's image as it ships, `expect` to its boot markers
    (entered at EL3 on raspi3b). Failure messages name the board.

    `init` (a test program set) or `boot_test` (a boot test) of
    bsp/common/images.bzl boots the board's test kernel instead, with
    `basalt.init=INIT` or `basalt.boot_test=BOOT_TEST` on its command line
    (run_qemu --append); a name the board's test kernel lacks fails here.

    Declares the sh_test `name`, which `bazel test //pkg:name` runs alone.
    Unless tagged "long" or "integration", the test is also a case of the
    package's qemu_test_suite (declared after every qemu_test of the
    package), which runs all its cases in one test action: the sh_test
    itself is then tagged "manual", so that `bazel test //...` boots it once,
    in the suite.

    `input`, a file label, is fed to the serial port (run_qemu --input);
    `data`, more files the arguments name (with $(rootpath ...)).
    """
    if board not in _BOARDS:
        fail("qemu_test %s: unknown board %s (one of %s)" % (name, board, ", ".join(_BOARDS.keys())))
    b = _BOARDS[board]
    bootargs = []
    if init != None:
        if init not in test_sets(b.package):
            fail("qemu_test %s: no test set %s on %s (one of %s)" % (name, init, board, ", ".join(test_sets(b.package))))
        bootargs.append("basalt.init=" + init)
    if boot_test != None:
        if boot_test not in boot_tests(b.package):
            fail("qemu_test %s: no boot test %s on %s (one of %s)" % (name, boot_test, board, ", ".join(sorted(boot_tests(b.package).keys()))))
        bootargs.append("basalt.boot_test=" + boot_test)
    if image == None:
        image = b.test_image_label if bootargs else b.image_label
    if bootargs:
        qemu_args = ["--append=" + " ".join(bootargs)] + qemu_args
    if expect == None:
        expect = boot_markers(3, board = board) if board == "raspi3b" else boot_markers()
    for rule in native.existing_rules().values():
        if _SUITE_TAG in rule.get("tags", []):
            fail("qemu_test %s is declared after qemu_test_suite %s: move it above, or it would never run" % (name, rule["name"]))
    tags = kwargs.pop("tags", [])
    own_tier = [t for t in tags if t in _OWN_TIER_TAGS]
    data = ["//bsp:run_qemu_lib", image] + data
    if board == "raspi3b":
        qemu_args = ["--board=raspi3b", "--dtb-raspi3b=$(rootpath %s)" % _RASPI3B_DTB] + qemu_args
        data.append(_RASPI3B_DTB)
    if input != None:
        qemu_args = qemu_args + ["--input=$(rootpath %s)" % input]
        data.append(input)
    native.sh_test(
        name = name,
        srcs = ["//tests/qemu:qemu_test.sh"],
        args = ["$(rootpath //bsp:run_qemu_lib)", "$(rootpath %s)" % image] +
               [_quote("--expect=" + e) for e in expect] +
               [_quote("--forbid=" + f) for f in forbid] +
               ["--expect-exit=%s" % expect_exit] +
               [_quote("--allow-log=" + a) for a in allow_log] +
               [_quote(a) for a in qemu_args],
        data = data,
        size = kwargs.pop("size", "small"),
        tags = ["qemu"] + tags + ([] if own_tier else ["manual", _CASE_TAG, _BOARD_TAG + board]),
        **kwargs
    )

def qemu_test_suite(name = "qemu_tests", size = "medium", **kwargs):
    """The sh_tests that run every qemu_test declared above them in the package (tests/qemu/qemu_suite.sh).

    Call it once, after the last qemu_test of the package. It declares one
    suite per board that has cases: `name` for QEMU virt's, `name`_BOARD
    for another board's. A suite per board starts as soon as that board's
    kernels are linked, instead of waiting for every board's, which
    shortens the edit-test loop. Bazel 4.2.3 spends about 0.85 CPU-seconds
    on each test action beyond the test itself; one action for many cases,
    run in parallel, saves that per case.
    `bazel test //pkg:NAME --test_filter=REGEX` runs only the matching cases.
    Not "large": Bazel 4.2.3 gives a large test the timeout "long", which
    `--test_tag_filters=-long` (.bazelrc) leaves out as if it were a tag.
    """
    rules = native.existing_rules()
    all_cases = [rules[n] for n in sorted(rules.keys()) if _CASE_TAG in rules[n].get("tags", [])]
    if not all_cases:
        fail("qemu_test_suite %s: no qemu_test declared above it" % name)
    tags = kwargs.pop("tags", [])
    for board in sorted(_BOARDS.keys()):
        cases = [rule for rule in all_cases if _BOARD_TAG + board in rule.get("tags", [])]
        if cases:
            _suite(name if board == "qemu_virt" else "%s_%s" % (name, board), cases, size, tags, **kwargs)

def _suite(name, cases, size, tags, **kwargs):
    args = ["$(rootpath //tests/qemu:qemu_test.sh)"]
    data = ["//tests/qemu:qemu_test.sh"]
    for rule in cases:
        args += ["--case=" + rule["name"]] + list(rule["args"])
        for label in list(rule["data"]) + [":" + rule["name"]]:
            if label not in data:
                data.append(label)
    native.sh_test(
        name = name,
        srcs = ["//tests/qemu:qemu_suite.sh"],
        args = args,
        data = data,
        size = size,
        tags = ["qemu", _SUITE_TAG] + tags,
        **kwargs
    )
