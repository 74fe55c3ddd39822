"""user_program: a Basalt user program, built for //platforms:aarch64_none.

    load("//userland:user_program.bzl", "user_program")

    user_program(
        name = "hello",
        srcs = ["hello.c"],
    )

makes two targets:
- `hello`: the cc_binary for aarch64-none (skipped on the host), a static,
  non-PIE ELF linked by userland/user.ld at 0x400000 with
  //userland/libsys (crt0's `_start` calls `int main(uint64_t arg)`).
- `hello_elf`: the same file as `hello.elf`, built through a platform
  transition, so host tests and the image can depend on it without
  --platforms.

The toolchain already links with -nostdlib -static --no-pie --gc-sections
-z noexecstack --no-undefined (toolchains/cc_toolchain_config.bzl).
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")
load("//platforms:transition.bzl", "platform_file")

_LINKER_SCRIPT = "//userland:user.ld"

def user_program(name, srcs, deps = [], visibility = None, testonly = False, base = None):
    """Declares the user program `name` and its host-side file `name`_elf.

    Args:
      name: the program's name; the ELF is `<name>.elf`.
      srcs: its C (or assembly) sources; one defines `int main(uint64_t arg)`.
      deps: libraries beyond //userland/libsys, which is always linked.
      visibility: of `<name>_elf`; the cc_binary stays private to the package.
      testonly: as for any rule.
      base: the address of its text, a page-aligned hex string (default 0x400000).
    """
    cc_binary(
        name = name,
        srcs = srcs,
        deps = deps + ["//userland/libsys"],
        additional_linker_inputs = [_LINKER_SCRIPT],
        linkopts = [
            "-Wl,-T,$(location %s)" % _LINKER_SCRIPT,
            # The kernel maps 4 KiB pages; lld's AArch64 default (64 KiB)
            # would only pad the file.
            "-Wl,-z,max-page-size=4096",
            "-Wl,-z,common-page-size=4096",
            # The kernel hashes an image (SHA-256) each time it loads one:
            # debug sections were two thirds of every file, never loaded.
            "-Wl,--strip-debug",
        ] + (["-Wl,--defsym=__user_base=" + base] if base else []),
        target_compatible_with = [
            "@platforms//cpu:aarch64",
            "@platforms//os:none",
        ],
        testonly = testonly,
    )
    platform_file(
        name = name + "_elf",
        src = ":" + name,
        out = name + ".elf",
        platform = "//platforms:aarch64_none",
        testonly = testonly,
        visibility = visibility,
    )
