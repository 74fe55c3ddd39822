"""libFuzzer binaries whose whole dependency tree is instrumented.

A target's `features` apply to its own compile actions only: a `cc_binary`
with `features = ["asan", "fuzzer"]` instruments its own source, while the
kernel libraries it calls are compiled without coverage feedback and without
ASan. `fuzz_binary` builds a plain `cc_binary` through a transition that adds
the host toolchain's `asan` and `fuzzer` features to the configuration, so
every library under the fuzzer is compiled (and the binary linked) with them.
The instrumented libraries land in their own output directory
(`k8-fastbuild-ST-<hash>`); ordinary tests keep the uninstrumented ones.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")

_FUZZ_FEATURES = [
    "asan",
    "fuzzer",
]

def _fuzz_transition_impl(settings, attr):
    # Keep the features already asked for (--config=asan / ubsan), add ours
    # and drop any request to turn ours off.
    features = [
        f
        for f in settings["//command_line_option:features"]
        if f.lstrip("-") not in _FUZZ_FEATURES
    ]
    return {
        "//command_line_option:features": features + _FUZZ_FEATURES,
        # The features exist only in the host toolchain: fuzzers are host
        # programs whatever --platforms says.
        "//command_line_option:platforms": str(settings["//command_line_option:host_platform"]),
    }

_fuzz_transition = transition(
    implementation = _fuzz_transition_impl,
    inputs = [
        "//command_line_option:features",
        "//command_line_option:host_platform",
    ],
    outputs = [
        "//command_line_option:features",
        "//command_line_option:platforms",
    ],
)

def _fuzz_binary_impl(ctx):
    binary = ctx.attr.binary[0]
    exe = binary[DefaultInfo].files_to_run.executable
    if not exe:
        fail("%s is not executable" % binary.label)
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = out, target_file = exe, is_executable = True)
    runfiles = ctx.runfiles(files = [out]).merge(binary[DefaultInfo].default_runfiles)
    return [DefaultInfo(
        executable = out,
        files = depset([out]),
        runfiles = runfiles,
    )]

_fuzz_binary = rule(
    implementation = _fuzz_binary_impl,
    attrs = {
        "binary": attr.label(
            mandatory = True,
            executable = True,
            cfg = _fuzz_transition,
            doc = "A plain cc_binary defining LLVMFuzzerTestOneInput.",
        ),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    executable = True,
    doc = "`binary` built with asan and fuzzer on its whole dependency tree, as `name`.",
)

def fuzz_binary(name, srcs, deps, visibility = None, **kwargs):
    """A libFuzzer binary `name`, instrumented down to its last dependency.

    Args:
      name: the fuzzer's name; its executable is `name` in this package.
      srcs: sources defining LLVMFuzzerTestOneInput (no main: libFuzzer's).
      deps: libraries under test; they are compiled with asan and fuzzer.
      visibility: of the fuzzer.
      **kwargs: passed to the `cc_binary` (copts, defines, ...).
    """

    # Uninstrumented it would not link (no main): built only through the
    # transition, never by a wildcard.
    cc_binary(
        name = name + "_uninstrumented",
        testonly = True,
        srcs = srcs,
        tags = ["manual"],
        visibility = ["//visibility:private"],
        deps = deps,
        **kwargs
    )
    _fuzz_binary(
        name = name,
        testonly = True,
        binary = ":" + name + "_uninstrumented",
        visibility = visibility,
    )

def fuzz_test(name, fuzzer, seeds, runs, dict = None, **kwargs):
    """Runs `fuzzer` from the corpus in `seeds`: `runs` inputs, or FUZZ_SECONDS.

    By default the test runs the seed corpus and then mutations up to `runs`
    inputs in all, with a fixed seed: deterministic and a second or two, so
    that `bazel test //...` stays an edit-test loop. FUZZ_SECONDS (see
    tools/fuzz.sh) runs it for that long instead.

    Args:
      name: the test's name.
      fuzzer: a fuzz_binary label.
      seeds: the seed corpus directory in this package (checked in).
      runs: inputs to run by default; choose about a second's worth.
      dict: a libFuzzer dictionary (-dict=): tokens of the input format
        that mutations insert whole.
      **kwargs: passed to the sh_test (size, tags, ...).
    """
    native.sh_test(
        name = name,
        srcs = ["run_fuzzer.sh"],
        args = [
            "$(rootpath %s)" % fuzzer,
            native.package_name() + "/" + seeds,
            str(runs),
        ] + (["-dict=$(rootpath %s)" % dict] if dict else []),
        data = [fuzzer] + native.glob([seeds + "/*"]) + ([dict] if dict else []),
        tags = ["fuzz"] + kwargs.pop("tags", []),
        **kwargs
    )
