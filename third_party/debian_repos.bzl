"""Repository rules that adapt Bazel inputs shipped by Debian packages.

Bazel 4.2.3 downloads rules_cc, remote_coverage_tools and friends unless the
WORKSPACE defines them first; on Basalt machines nothing may be downloaded, so
each is taken from a Debian package (installed by tools/bazel) or from this
directory.
"""

_RULES_CC_FLAGS_SUPPLIER = """\
\"\"\"Re-export of Bazel 4.2.3's own cc_flags_supplier (Debian rules_cc 0.0.4 needs a newer Bazel).\"\"\"

load("@bazel_tools//tools/cpp:cc_flags_supplier.bzl", _cc_flags_supplier = "cc_flags_supplier")

cc_flags_supplier = _cc_flags_supplier
"""

_RULES_CC_COMPILER_FLAG = """\
\"\"\"Re-export of Bazel 4.2.3's own compiler_flag (Debian rules_cc 0.0.4 needs a newer Bazel).\"\"\"

load("@bazel_tools//tools/cpp:compiler_flag.bzl", _compiler_flag = "compiler_flag")

compiler_flag = _compiler_flag
"""

def _debian_rules_cc_impl(rctx):
    src = rctx.path(rctx.attr.path)
    if not src.exists:
        fail("rules_cc: %s is missing; tools/bazel installs it (Debian package bazel-rules-cc)" % src)
    res = rctx.execute(["cp", "-R", "--no-preserve=mode", str(src) + "/.", "."])
    if res.return_code != 0:
        fail("rules_cc: copying %s failed: %s" % (src, res.stderr))
    rctx.file("cc/private/rules_impl/cc_flags_supplier.bzl", _RULES_CC_FLAGS_SUPPLIER)
    rctx.file("cc/private/rules_impl/compiler_flag.bzl", _RULES_CC_COMPILER_FLAG)

debian_rules_cc = repository_rule(
    implementation = _debian_rules_cc_impl,
    attrs = {"path": attr.string(default = "/usr/share/bazel/rules/cc")},
    doc = "Debian's rules_cc 0.0.4 with the two files Bazel 4.2.3 cannot load replaced by re-exports.",
)
