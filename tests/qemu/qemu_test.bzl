"""qemu_test: boot //bsp:image in QEMU and check serial output and exceptions."""

# Lines every clean boot prints, in order (kernel/main/boot_markers.h).
BOOT_MARKERS = [
    "basalt: boot",
    "basalt: power off",
]

def _quote(arg):
    """Protects arg from the shell tokenization Bazel applies to test args."""
    if "'" in arg:
        fail("qemu_test arguments cannot contain a single quote: " + arg)
    return "'" + arg + "'"

def qemu_test(name, qemu_args = [], expect = BOOT_MARKERS, expect_exit = 0, allow_log = [], image = "//bsp:image", **kwargs):
    """A sh_test that boots `image` with run_qemu options `qemu_args`."""
    native.sh_test(
        name = name,
        srcs = ["//tests/qemu:qemu_test.sh"],
        args = ["$(rootpath //bsp:run_qemu_lib)", "$(rootpath %s)" % image] +
               [_quote("--expect=" + e) for e in expect] +
               ["--expect-exit=%s" % expect_exit] +
               [_quote("--allow-log=" + a) for a in allow_log] +
               [_quote(a) for a in qemu_args],
        data = ["//bsp:run_qemu_lib", image],
        size = kwargs.pop("size", "small"),
        tags = ["qemu"] + kwargs.pop("tags", []),
        **kwargs
    )
