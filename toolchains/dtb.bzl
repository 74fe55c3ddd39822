"""dtb: compiles a device tree source (.dts) into a blob (.dtb) with the pinned dtc.

dtc comes from @llvm_toolchain//:dtc (Debian's device-tree-compiler, pinned in
toolchains/debian_packages.lock). The output depends only on the sources:
dtc writes no timestamps or paths into a blob, and every input is named, so
the blob is the same bit for bit on any machine and from any checkout path.
dtc's warnings are errors here (a tree that draws one is a tree to fix).
"""

def _dtb_impl(ctx):
    out = ctx.actions.declare_file(ctx.label.name + ".dtb")
    dtc = ctx.attr._dtc[DefaultInfo]
    wrapper = dtc.files.to_list()[0]
    args = ctx.actions.args()
    args.add_all(["-I", "dts", "-O", "dtb", "-o", out])
    for inc in ctx.files.includes:
        args.add("-i", inc.dirname)
    args.add(ctx.file.src)
    ctx.actions.run_shell(
        outputs = [out],
        inputs = depset([ctx.file.src] + ctx.files.includes),
        tools = depset([wrapper], transitive = [dtc.default_runfiles.files]),
        # dtc prints warnings on stderr and still succeeds; any output fails.
        command = 'err=$("$1" "${@:2}" 2>&1) || { echo "$err" >&2; exit 1; }; ' +
                  'if [ -n "$err" ]; then echo "$err" >&2; rm -f "%s"; exit 1; fi' % out.path,
        arguments = [wrapper.path, args],
        mnemonic = "Dtc",
        progress_message = "Compiling device tree %s" % ctx.file.src.short_path,
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

dtb = rule(
    implementation = _dtb_impl,
    attrs = {
        "src": attr.label(allow_single_file = [".dts"], mandatory = True, doc = "The .dts to compile."),
        "includes": attr.label_list(allow_files = [".dts", ".dtsi"], doc = "Files the .dts includes (/include/)."),
        "_dtc": attr.label(default = "@llvm_toolchain//:dtc", cfg = "host"),
    },
    doc = "Compiles src with dtc into <name>.dtb.",
)
