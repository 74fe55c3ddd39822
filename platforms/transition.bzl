"""Rules that build their inputs for another platform.

Host-configured targets (tests, `bazel run //bsp:qemu`) depend on target
binaries through these, so no command line needs --platforms.
"""

_LTO = "basalt_lto"

def _platform_transition_impl(settings, attr):
    # The target toolchain's feature basalt_lto (-flto) is asked for
    # explicitly, or turned off in test kernels when
    # //platforms:test_kernel_lto is off. Either way the transition changes
    # --features: Bazel 4 names an output directory after the options a
    # transition changed, so a user program reached through a test kernel
    # (features -basalt_lto, then basalt_lto) must land in the same
    # configuration as when reached through the image ([], then basalt_lto),
    # or every user program is built twice.
    features = [
        f
        for f in settings["//command_line_option:features"]
        if f.lstrip("-") != _LTO
    ]
    if getattr(attr, "test_kernel", False) and not settings["//platforms:test_kernel_lto"]:
        features.append("-" + _LTO)
    else:
        features.append(_LTO)
    return {
        "//command_line_option:features": features,
        "//command_line_option:platforms": str(attr.platform),
    }

_platform_transition = transition(
    implementation = _platform_transition_impl,
    inputs = [
        "//command_line_option:features",
        "//platforms:test_kernel_lto",
    ],
    outputs = [
        "//command_line_option:features",
        "//command_line_option:platforms",
    ],
)

_ALLOWLIST = {
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}

def _platform_file_impl(ctx):
    src = ctx.files.src
    if len(src) != 1:
        fail("%s must produce exactly one file, got %d" % (ctx.attr.src[0].label, len(src)))
    out = ctx.actions.declare_file(ctx.attr.out or ctx.label.name)

    # A symlink, made by Bazel itself: a copy was a sandboxed process per
    # kernel (22 of them relinked on every kernel change).
    ctx.actions.symlink(
        output = out,
        target_file = src[0],
        progress_message = "Linking %s for %s" % (src[0].short_path, ctx.attr.platform.label),
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

platform_file = rule(
    implementation = _platform_file_impl,
    attrs = dict({
        "src": attr.label(mandatory = True, cfg = _platform_transition, allow_files = True),
        "platform": attr.label(mandatory = True),
        "out": attr.string(doc = "Output name; the target name when empty."),
        "test_kernel": attr.bool(
            doc = "A test kernel: built without LTO unless --//platforms:test_kernel_lto.",
        ),
    }, **_ALLOWLIST),
    doc = "The single file of `src`, built for `platform`, under a stable host-side name.",
)

def _platform_files_impl(ctx):
    files = depset(transitive = [s[DefaultInfo].files for s in ctx.attr.srcs])
    runfiles = ctx.runfiles(transitive_files = files)
    for s in ctx.attr.srcs:
        runfiles = runfiles.merge(s[DefaultInfo].default_runfiles)
    return [DefaultInfo(files = files, runfiles = runfiles)]

platform_files = rule(
    implementation = _platform_files_impl,
    attrs = dict({
        "srcs": attr.label_list(mandatory = True, cfg = _platform_transition, allow_files = True),
        "platform": attr.label(mandatory = True),
    }, **_ALLOWLIST),
    doc = "The files of `srcs`, built for `platform`.",
)
