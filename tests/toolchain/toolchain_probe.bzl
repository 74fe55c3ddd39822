"""toolchain_probe: records what the resolved C/C++ toolchain really runs.

For the configuration it is built in, the probe asks the resolved cc_toolchain
for its compile and link command lines (as Bazel would issue them) and runs
the compiler driver in the sandbox with -### and -v, so the report shows the
exact compiler, include directories, linker and libraries. The hermetic test
reads the report; it never runs Bazel itself.
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

_SCRIPT = """\
set -u
report="$1"; compiler="$2"; linker="$3"; src="$4"; shift 4
cflags=(); lflags=()
while [ "$1" != "--" ]; do cflags+=("$1"); shift; done; shift
lflags=("$@")
{
  echo "== compiler: $compiler"
  echo "== linker driver: $linker"
  echo "== compile -###"
  "$compiler" "${cflags[@]}" -### -c "$src" -o /dev/null 2>&1
  echo "== compile -v -E"
  "$compiler" "${cflags[@]}" -v -E "$src" -o /dev/null 2>&1
  echo "== link -###"
  "$compiler" "${cflags[@]}" -c "$src" -o probe.o 2>&1
  "$linker" "${lflags[@]}" -### probe.o -o probe.out 2>&1
  echo "== end"
} > "$report"
"""

def _toolchain_probe_impl(ctx):
    cc = find_cpp_toolchain(ctx)
    fc = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    src = ctx.file.src
    compiler = cc_common.get_tool_for_action(feature_configuration = fc, action_name = ACTION_NAMES.c_compile)
    linker = cc_common.get_tool_for_action(feature_configuration = fc, action_name = ACTION_NAMES.cpp_link_executable)
    cflags = cc_common.get_memory_inefficient_command_line(
        feature_configuration = fc,
        action_name = ACTION_NAMES.c_compile,
        variables = cc_common.create_compile_variables(
            feature_configuration = fc,
            cc_toolchain = cc,
            user_compile_flags = ctx.fragments.cpp.copts + ctx.fragments.cpp.conlyopts,
        ),
    )
    lflags = cc_common.get_memory_inefficient_command_line(
        feature_configuration = fc,
        action_name = ACTION_NAMES.cpp_link_executable,
        variables = cc_common.create_link_variables(
            feature_configuration = fc,
            cc_toolchain = cc,
            is_linking_dynamic_library = False,
        ),
    )
    report = ctx.actions.declare_file(ctx.label.name + ".txt")
    args = ctx.actions.args()
    args.add_all([report, compiler, linker, src])
    args.add_all(cflags)
    args.add("--")
    args.add_all(lflags)
    ctx.actions.run_shell(
        inputs = depset([src], transitive = [cc.all_files]),
        outputs = [report],
        command = _SCRIPT,
        arguments = [args],
        mnemonic = "ToolchainProbe",
        progress_message = "Probing the C toolchain for %s" % ctx.label,
    )
    return [DefaultInfo(files = depset([report]), runfiles = ctx.runfiles(files = [report]))]

toolchain_probe = rule(
    implementation = _toolchain_probe_impl,
    attrs = {
        "src": attr.label(allow_single_file = [".c"], mandatory = True),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    fragments = ["cpp"],
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    incompatible_use_toolchain_transition = True,
)
