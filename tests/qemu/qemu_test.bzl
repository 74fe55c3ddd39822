"""qemu_test: boot //bsp:image in QEMU and check serial output and exceptions."""

_MIB = {"128M": 128, "512M": 512, "1G": 1024, "1152M": 1152, "2G": 2048, "4G": 4096}

def boot_markers(el = 1, mem = "128M"):
    """The lines a clean boot entered at exception level `el` with `mem` RAM prints, in order.

    The text comes from kernel/main/boot_markers.h; a trailing "*" matches
    any line that begins with the rest.
    """
    return [
        "basalt: boot",
        "basalt: entered at EL%d, dtb at 0x0000000040000000" % el,
        "basalt: MMU on, direct map at 0xffff000000000000",
        "basalt: high half active, image at 0xffffffffc0100000 (physical 0x0000000040100000)",
        "basalt: memory: %d MiB RAM, *" % _MIB[mem],
        "basalt: interrupts on, 5 timer ticks at 100 Hz",
        "basalt: init loaded, *",
        "basalt: power off",
    ]

def _quote(arg):
    """Protects arg from the shell tokenization Bazel applies to test args."""
    if "'" in arg:
        fail("qemu_test arguments cannot contain a single quote: " + arg)
    return "'" + arg + "'"

def qemu_test(name, qemu_args = [], expect = None, forbid = [], expect_exit = 0, allow_log = [], image = "//bsp:image", input = None, **kwargs):
    """A sh_test that boots `image` with run_qemu options `qemu_args`.

    `input`, a file label, is fed to the serial port (run_qemu --input).
    """
    if expect == None:
        expect = boot_markers()
    data = ["//bsp:run_qemu_lib", image]
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
        tags = ["qemu"] + kwargs.pop("tags", []),
        **kwargs
    )
