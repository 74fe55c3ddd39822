"""cc_toolchain_config for Basalt's two toolchains, both from @llvm_toolchain.

- host: x86_64 Linux, hosted. Unit tests, sanitizers, fuzzers. Headers,
  startup files and libraries come from the sysroot extracted from pinned
  Debian archives; nothing from the host's /usr/include or /usr/lib.
- aarch64_none: freestanding AArch64 for the kernel and user programs: no
  libc, no host headers (only clang's builtin freestanding headers), lld,
  general-purpose registers only.

Every path is relative to the execution root, which together with
-no-canonical-prefixes and -ffile-compilation-dir=. keeps absolute paths out of
objects and debug info.
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
    "with_feature_set",
)

_C_COMPILE = [ACTION_NAMES.c_compile]
_CXX_COMPILE = [
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.cpp_header_parsing,
    ACTION_NAMES.cpp_module_compile,
    ACTION_NAMES.linkstamp_compile,
]
_ASM = [ACTION_NAMES.assemble, ACTION_NAMES.preprocess_assemble]
_ALL_COMPILE = _C_COMPILE + _CXX_COMPILE + _ASM
_LINK = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

_BIN = "usr/lib/llvm-19/bin/"
_SYSROOT = "external/llvm_toolchain/sysroot"

# Flags shared by both targets: reproducibility first.
_COMMON_COMPILE = [
    "-no-canonical-prefixes",
    # Relative compilation directory in debug info and coverage data.
    "-ffile-compilation-dir=.",
    # __DATE__ and friends would make output depend on the clock.
    "-Werror=date-time",
    "-fno-common",
]

_TARGETS = {
    "host": struct(
        compile = [
            "--target=x86_64-linux-gnu",
            "--sysroot=" + _SYSROOT,
            "-fno-omit-frame-pointer",
        ],
        lto_compile = [],
        compile_after_lto = [],
        c = ["-std=c11"],
        cxx = ["-std=c++17"],
        link = [
            "--target=x86_64-linux-gnu",
            "--sysroot=" + _SYSROOT,
            "-no-canonical-prefixes",
            "-fuse-ld=lld",
            "-Wl,-z,relro,-z,now",
        ],
        lto_link = [],
        link_after_lto = [],
        # Added last so that libraries of the program come first.
        link_libs = ["-lstdc++", "-lm"],
        builtin_include_directories = [
            "usr/lib/llvm-19/lib/clang/19/include",
            "sysroot/usr/include",
            "sysroot/usr/lib/gcc/x86_64-linux-gnu/12/include",
        ],
        target_system_name = "x86_64-unknown-linux-gnu",
        target_cpu = "k8",
        target_libc = "glibc",
    ),
    "aarch64_none": struct(
        compile = [
            "--target=aarch64-none-elf",
            "-march=armv8-a",
            "-ffreestanding",
            "-fno-builtin",
            # No system headers at all: only clang's freestanding builtins
            # (stdint.h, stddef.h, stdarg.h, ...) remain.
            "-nostdlibinc",
            # The kernel never touches FP/SIMD state implicitly.
            "-mgeneral-regs-only",
            "-mstrict-align",
            "-fno-pic",
            "-fno-pie",
            "-fno-stack-protector",
            "-fno-exceptions",
            "-fno-asynchronous-unwind-tables",
            "-ffunction-sections",
            "-fdata-sections",
        ],
        # Whole-program optimisation: the kernel's layers stay separate
        # libraries, and the link inlines across them (the trap and IPC
        # paths cross five). Code generation options above are kept per
        # function in the bitcode. Feature basalt_lto (on by default);
        # platform_file turns it off for test kernels in the edit-test loop.
        lto_compile = ["-flto"],
        compile_after_lto = [
            # Boot code runs before the MMU is on, away from its link
            # address: no tables of absolute addresses (jump or lookup
            # tables) may be generated for it.
            "-fno-jump-tables",
        ],
        c = ["-std=c11"],
        cxx = ["-std=c++17", "-fno-rtti"],
        link = [
            "--target=aarch64-none-elf",
            "-no-canonical-prefixes",
            "-fuse-ld=lld",
            "-nostdlib",
            "-static",
            "-Wl,--no-pie",
            # A build id would hash paths-dependent inputs: none.
            "-Wl,--build-id=none",
            "-Wl,--gc-sections",
            "-Wl,-z,noexecstack",
            "-Wl,--no-undefined",
        ],
        lto_link = ["-flto"],
        link_after_lto = ["-O2"],
        link_libs = [],
        builtin_include_directories = ["usr/lib/llvm-19/lib/clang/19/include"],
        target_system_name = "aarch64-none-elf",
        target_cpu = "aarch64",
        target_libc = "none",
    ),
}

def _flags(actions, flags, features = None):
    """A flag_set of `flags` for `actions` (with `features` on); None if no flags."""
    if not flags:
        return None
    return flag_set(
        actions = actions,
        flag_groups = [flag_group(flags = flags)],
        with_features = [with_feature_set(features = features)] if features else [],
    )

def _sanitizer(name, flags):
    return feature(
        name = name,
        flag_sets = [_flags(_C_COMPILE + _CXX_COMPILE + _LINK, flags)],
    )

def _features(t, is_host):
    features = [
        feature(name = "dbg"),
        feature(name = "fastbuild"),
        feature(name = "opt"),
        # -flto where the target asks for it (t.lto_*), unless a
        # configuration says --features=-basalt_lto. The flags keep their
        # place on the command line either way.
        feature(name = "basalt_lto", enabled = True),
        feature(
            name = "basalt_default_flags",
            enabled = True,
            flag_sets = [fs for fs in [
                _flags(_ALL_COMPILE, _COMMON_COMPILE + t.compile),
                _flags(_ALL_COMPILE, t.lto_compile, ["basalt_lto"]),
                _flags(_ALL_COMPILE, t.compile_after_lto),
                _flags(_C_COMPILE, t.c),
                _flags(_CXX_COMPILE, t.cxx),
                _flags(_ALL_COMPILE, ["-O0", "-g"], ["dbg"]),
                _flags(_ALL_COMPILE, ["-O1", "-g"] if is_host else ["-O2", "-g"], ["fastbuild"]),
                _flags(_ALL_COMPILE, ["-O2", "-g"], ["opt"]),
                _flags(_LINK, t.link),
                _flags(_LINK, t.lto_link, ["basalt_lto"]),
                _flags(_LINK, t.link_after_lto),
            ] if fs],
        ),
        # Cold code, built for size: a library that runs once or on a
        # failure (boot, device tree, ELF, loader, reports) says
        # features = ["basalt_cold"]. Its functions keep the attribute
        # through link-time optimisation, so hot callers inline none of it
        # and the link builds it -Os. Target code only: host tests are
        # built the same whatever the library says.
        feature(
            name = "basalt_cold",
            flag_sets = [fs for fs in [_flags(_ALL_COMPILE, [] if is_host else ["-Os"])] if fs],
        ),
        # Cold code that no busy loop of the boot runs, built for the least
        # size: features = ["basalt_min"] (-Oz, which also lets the link's
        # machine outliner share instruction sequences between its
        # functions). Not for the device tree or page-table walks: -Oz
        # leaves their small helpers out of line, and the boot pays.
        feature(
            name = "basalt_min",
            flag_sets = [fs for fs in [_flags(_ALL_COMPILE, [] if is_host else ["-Oz"])] if fs],
        ),
        # Warnings are errors in Basalt code; third-party code opts out with
        # features = ["-basalt_warnings"].
        feature(
            name = "basalt_warnings",
            enabled = True,
            flag_sets = [_flags(_C_COMPILE + _CXX_COMPILE, ["-Wall", "-Wextra", "-Werror"])],
        ),
    ]
    if is_host:
        features += [
            _sanitizer("asan", ["-fsanitize=address", "-fno-omit-frame-pointer"]),
            _sanitizer("ubsan", [
                "-fsanitize=undefined",
                "-fno-sanitize-recover=all",
                "-fsanitize-link-c++-runtime",
            ]),
            _sanitizer("fuzzer", ["-fsanitize=fuzzer"]),
            # Clang's source-based coverage (--config=coverage, used by
            # tools/coverage.sh): each instrumented process writes a .profraw
            # file named by LLVM_PROFILE_FILE; llvm-profdata merges them and
            # llvm-cov reports against the binaries.
            feature(
                name = "coverage",
                flag_sets = [
                    _flags(_C_COMPILE + _CXX_COMPILE, ["-fprofile-instr-generate", "-fcoverage-mapping"]),
                    _flags(_LINK, ["-fprofile-instr-generate"]),
                ],
            ),
        ]

    # Libraries go after everything else on the link line.
    features.append(feature(
        name = "basalt_link_libs",
        enabled = True,
        flag_sets = [_flags(_LINK, t.link_libs)] if t.link_libs else [],
    ))
    return features

def _impl(ctx):
    t = _TARGETS[ctx.attr.target]
    is_host = ctx.attr.target == "host"
    tools = {
        "gcc": _BIN + "clang",
        "cpp": _BIN + "clang-cpp",
        "ld": _BIN + "ld.lld",
        "ar": _BIN + "llvm-ar",
        "nm": _BIN + "llvm-nm",
        "objcopy": _BIN + "llvm-objcopy",
        "objdump": _BIN + "llvm-objdump",
        "strip": _BIN + "llvm-strip",
        "gcov": _BIN + "llvm-cov",
        "dwp": _BIN + "llvm-dwp",
    }
    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        toolchain_identifier = "basalt_llvm19_" + ctx.attr.target,
        host_system_name = "x86_64-unknown-linux-gnu",
        target_system_name = t.target_system_name,
        target_cpu = t.target_cpu,
        target_libc = t.target_libc,
        compiler = "clang",
        abi_version = "unknown",
        abi_libc_version = "unknown",
        tool_paths = [tool_path(name = k, path = v) for k, v in sorted(tools.items())],
        features = _features(t, is_host),
        cxx_builtin_include_directories = t.builtin_include_directories,
    )

basalt_cc_toolchain_config = rule(
    implementation = _impl,
    attrs = {"target": attr.string(mandatory = True, values = sorted(_TARGETS.keys()))},
    provides = [CcToolchainConfigInfo],
)
