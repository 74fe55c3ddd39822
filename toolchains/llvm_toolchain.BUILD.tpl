# BUILD file of @llvm_toolchain, written by toolchains/debian_toolchain.bzl.
# The cc_toolchain targets live here so that every tool path is a plain path
# inside this repository.

load("@//toolchains:cc_toolchain_config.bzl", "basalt_cc_toolchain_config")

package(default_visibility = ["//visibility:public"])

_BIN = "usr/lib/llvm-19/bin/"

exports_files(glob([_BIN + "*"]))

filegroup(
    name = "llvm_libs",
    srcs = glob([
        "usr/lib/x86_64-linux-gnu/libLLVM*",
        "usr/lib/x86_64-linux-gnu/libclang-cpp*",
        "usr/lib/llvm-19/lib/lib*.so*",
    ]),
)

filegroup(
    name = "clang",
    srcs = [
        _BIN + "clang",
        _BIN + "clang-19",
        _BIN + "clang-cpp",
        ":llvm_libs",
    ],
)

filegroup(
    name = "clang_format",
    srcs = [_BIN + "clang-format"],
    data = [":llvm_libs"],
)

# clangd-19 for editors (compile_commands.json from tools/compile_commands.sh).
filegroup(
    name = "clangd",
    srcs = [_BIN + "clangd"],
    data = [
        ":builtin_headers",
        ":llvm_libs",
    ],
)

# Source-based coverage: tools/coverage.sh merges profiles and reports.
filegroup(
    name = "coverage_tools",
    srcs = [
        _BIN + "llvm-cov",
        _BIN + "llvm-profdata",
    ],
    data = [":llvm_libs"],
)

# dtc (Debian's device-tree-compiler, pinned in the lock) for .dts -> .dtb:
# run dtc.sh, which loads the pinned libyaml from this tree
# (toolchains/dtb.bzl uses it).
filegroup(
    name = "dtc",
    srcs = ["dtc.sh"],
    data = [
        "usr/bin/dtc",
        "usr/lib/x86_64-linux-gnu/libyaml-0.so.2",
        "usr/lib/x86_64-linux-gnu/libyaml-0.so.2.0.9",
    ],
)

# llvm-nm alone, for bsp/profile_boot.sh and bsp/size.sh.
filegroup(
    name = "llvm_nm",
    srcs = [_BIN + "llvm-nm"],
    data = [":llvm_libs"],
)

# llvm-objdump alone, for bsp/profile_bench.sh.
filegroup(
    name = "llvm_objdump",
    srcs = [_BIN + "llvm-objdump"],
    data = [":llvm_libs"],
)

filegroup(
    name = "lld",
    srcs = [
        _BIN + "ld.lld",
        _BIN + "lld",
        ":llvm_libs",
    ],
)

filegroup(
    name = "binutils",
    srcs = [
        _BIN + "llvm-ar",
        _BIN + "llvm-cov",
        _BIN + "llvm-nm",
        _BIN + "llvm-objcopy",
        _BIN + "llvm-objdump",
        _BIN + "llvm-readelf",
        _BIN + "llvm-readobj",
        _BIN + "llvm-strip",
        _BIN + "llvm-symbolizer",
        ":llvm_libs",
    ],
)

filegroup(
    name = "builtin_headers",
    srcs = glob(["usr/lib/llvm-19/lib/clang/19/include/**"]),
)

filegroup(
    name = "compiler_rt_host",
    srcs = glob(["usr/lib/llvm-19/lib/clang/19/lib/linux/**"]),
)

filegroup(
    name = "sysroot_headers",
    srcs = glob([
        "sysroot/usr/include/**",
        "sysroot/usr/lib/gcc/x86_64-linux-gnu/12/include/**",
        # clang finds the GCC installation (and so libstdc++) by these.
        "sysroot/usr/lib/gcc/x86_64-linux-gnu/12/crt*.o",
    ]),
)

filegroup(
    name = "sysroot_libs",
    srcs = glob(
        [
            "sysroot/lib/**",
            "sysroot/lib64/**",
            "sysroot/usr/lib/**",
        ],
        exclude = ["sysroot/usr/lib/gcc/x86_64-linux-gnu/12/include/**"],
    ),
)

filegroup(
    name = "host_compiler_files",
    srcs = [
        ":builtin_headers",
        ":clang",
        ":sysroot_headers",
    ],
)

filegroup(
    name = "host_linker_files",
    srcs = [
        ":clang",
        ":compiler_rt_host",
        ":lld",
        ":sysroot_libs",
    ],
)

filegroup(
    name = "target_compiler_files",
    srcs = [
        ":builtin_headers",
        ":clang",
    ],
)

filegroup(
    name = "target_linker_files",
    srcs = [
        ":clang",
        ":lld",
    ],
)

filegroup(
    name = "host_all_files",
    srcs = [
        ":binutils",
        ":host_compiler_files",
        ":host_linker_files",
    ],
)

filegroup(
    name = "target_all_files",
    srcs = [
        ":binutils",
        ":target_compiler_files",
        ":target_linker_files",
    ],
)

basalt_cc_toolchain_config(
    name = "host_config",
    target = "host",
)

cc_toolchain(
    name = "host_cc_toolchain",
    all_files = ":host_all_files",
    ar_files = ":binutils",
    as_files = ":host_compiler_files",
    compiler_files = ":host_compiler_files",
    dwp_files = ":binutils",
    linker_files = ":host_linker_files",
    objcopy_files = ":binutils",
    strip_files = ":binutils",
    supports_param_files = 1,
    toolchain_config = ":host_config",
)

basalt_cc_toolchain_config(
    name = "aarch64_none_config",
    target = "aarch64_none",
)

cc_toolchain(
    name = "aarch64_none_cc_toolchain",
    all_files = ":target_all_files",
    ar_files = ":binutils",
    as_files = ":target_compiler_files",
    compiler_files = ":target_compiler_files",
    dwp_files = ":binutils",
    linker_files = ":target_linker_files",
    objcopy_files = ":binutils",
    strip_files = ":binutils",
    supports_param_files = 1,
    toolchain_config = ":aarch64_none_config",
)
