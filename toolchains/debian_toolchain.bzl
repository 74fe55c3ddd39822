"""Repository rule: the hermetic LLVM 19 toolchain from pinned Debian archives.

Reads toolchains/debian_packages.lock, fetches every archive with
`apt-get download PACKAGE=VERSION` (through the machine's configured Debian
package sources, so no host name is written here), verifies its sha256,
extracts it with dpkg-deb into the repository, and checks that the extracted
binaries load their LLVM libraries from the extracted tree and not from the
host. Archives are kept in a cache keyed by sha256 ($BASALT_DEB_CACHE, or
~/.cache/basalt/debs), so a second output base does not fetch them again.
"""

_REFRESH = "toolchains/update_lock.sh"

_LLVM_BIN = "usr/lib/llvm-19/bin/"

# Binaries whose shared-library resolution is checked after extraction.
_CHECKED_BINARIES = ["clang-19", "lld", "llvm-ar", "llvm-objcopy", "clang-format"]

# Libraries that must resolve inside the extracted tree.
_TREE_LIBRARIES = ["libLLVM.so.19.1", "libclang-cpp.so.19.1"]

def _parse_lock(text):
    """Returns a list of structs, one per archive line of the lock file."""
    entries = []
    for lineno, line in enumerate(text.splitlines()):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f for f in line.replace("\t", " ").split(" ") if f]
        if len(fields) != 5:
            fail("toolchains/debian_packages.lock:%d: expected 'package version arch sha256 destination', got: %s" % (lineno + 1, line))
        if fields[4] not in ("llvm", "sysroot"):
            fail("toolchains/debian_packages.lock:%d: destination must be llvm or sysroot, got %s" % (lineno + 1, fields[4]))
        entries.append(struct(name = fields[0], version = fields[1], arch = fields[2], sha256 = fields[3], dest = fields[4]))
    return entries

def _run(rctx, args, what, cwd = None):
    res = rctx.execute(args, working_directory = cwd or "", quiet = True)
    if res.return_code != 0:
        fail("%s failed (exit %d):\n%s%s" % (what, res.return_code, res.stdout, res.stderr))
    return res.stdout

def _sha256(rctx, path):
    return _run(rctx, ["sha256sum", str(path)], "sha256sum " + str(path)).split(" ")[0]

def _cache_dir(rctx):
    env = rctx.os.environ
    if env.get("BASALT_DEB_CACHE"):
        return rctx.path(env["BASALT_DEB_CACHE"])
    if env.get("HOME"):
        return rctx.path(env["HOME"] + "/.cache/basalt/debs")
    return rctx.path("debs")

def _fetch(rctx, cache, e):
    """Returns the path of the verified archive for entry e, fetching it if needed."""
    archive = cache.get_child(e.sha256 + ".deb")
    if archive.exists and _sha256(rctx, archive) == e.sha256:
        return archive
    work = cache.get_child("tmp-" + e.name)
    _run(rctx, ["rm", "-rf", str(work)], "cleaning " + str(work))
    _run(rctx, ["mkdir", "-p", str(work)], "creating " + str(work))
    rctx.report_progress("apt-get download %s=%s" % (e.name, e.version))
    res = rctx.execute(["apt-get", "download", "%s:%s=%s" % (e.name, e.arch, e.version)], working_directory = str(work), quiet = True)
    if res.return_code != 0:
        rctx.execute(["rm", "-rf", str(work)])
        fail(("could not fetch Debian package %s=%s (%s): apt-get download said:\n%s\n" +
              "If that version has left the archive, refresh the lock with %s and commit it; " +
              "if the package lists are stale, run `apt-get update`.") % (e.name, e.version, e.arch, res.stderr.strip(), _REFRESH))
    found = _run(rctx, ["find", str(work), "-maxdepth", "1", "-name", "*.deb"], "listing " + str(work)).strip().splitlines()
    if len(found) != 1:
        fail("apt-get download %s=%s produced %d archives, expected 1" % (e.name, e.version, len(found)))
    actual = _sha256(rctx, found[0])
    if actual != e.sha256:
        rctx.execute(["rm", "-rf", str(work)])
        fail(("sha256 mismatch for Debian package %s=%s:\n  expected %s (toolchains/debian_packages.lock)\n  actual   %s\n" +
              "The archive changed under the same version. If this is an intended update, refresh the lock with %s.") %
             (e.name, e.version, e.sha256, actual, _REFRESH))
    _run(rctx, ["mv", found[0], str(archive)], "moving archive into the cache")
    _run(rctx, ["rm", "-rf", str(work)], "cleaning " + str(work))
    return archive

# Absolute symlinks in the sysroot (libc6-dev ships some) would point at the
# host's files; rewrite each as a relative link inside the sysroot.
_RELINK = """
set -eu
[ -d sysroot ] || exit 0
cd sysroot
find . -type l -lname '/*' | LC_ALL=C sort | while read -r link; do
    target=$(readlink "$link")
    rel=$(realpath -m --relative-to="$(dirname "$link")" "./$target")
    ln -sfn "$rel" "$link"
done
"""

def _check_libraries(rctx):
    """Fails unless every checked binary loads the LLVM libraries from this tree."""
    root = str(rctx.path(".").realpath)
    for binary in _CHECKED_BINARIES:
        out = _run(rctx, ["ldd", _LLVM_BIN + binary], "ldd " + binary)
        for line in out.splitlines():
            line = line.strip()
            if "not found" in line:
                fail("toolchain self-check: %s cannot load a library: %s\nInstall the host libraries with tools/bazel." % (binary, line))
            for lib in _TREE_LIBRARIES:
                if line.startswith(lib + " "):
                    resolved = line.split("=>")[1].strip().split(" ")[0]
                    real = str(rctx.path(resolved).realpath)
                    if not real.startswith(root + "/"):
                        fail("toolchain self-check: %s loads %s from %s, outside the extracted tree %s" % (binary, lib, real, root))

def _debian_toolchain_impl(rctx):
    entries = _parse_lock(rctx.read(rctx.attr.lock))
    cache = _cache_dir(rctx)
    _run(rctx, ["mkdir", "-p", str(cache)], "creating the archive cache " + str(cache))
    for e in entries:
        archive = _fetch(rctx, cache, e)
        dest = "sysroot" if e.dest == "sysroot" else "."
        _run(rctx, ["mkdir", "-p", dest], "creating " + dest)
        rctx.report_progress("extracting " + e.name)
        _run(rctx, ["dpkg-deb", "-x", str(archive), dest], "extracting " + e.name)

    # clang's RUNPATH ($ORIGIN/../lib) finds libLLVM through this link, which
    # Debian ships in llvm-19-dev; create it rather than pull in that package.
    _run(rctx, ["ln", "-sfn", "../../x86_64-linux-gnu/libLLVM.so.19.1", "usr/lib/llvm-19/lib/libLLVM.so.19.1"], "linking libLLVM")
    _check_libraries(rctx)
    _run(rctx, ["sh", "-c", _RELINK], "making sysroot symlinks relative")

    rctx.template("BUILD.bazel", rctx.attr.build_file_template, {}, executable = False)
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)

debian_toolchain = repository_rule(
    implementation = _debian_toolchain_impl,
    attrs = {
        "lock": attr.label(allow_single_file = True, mandatory = True),
        "build_file_template": attr.label(allow_single_file = True, mandatory = True),
    },
    environ = ["BASALT_DEB_CACHE", "HOME"],
    doc = "LLVM 19 and a host sysroot extracted from sha256-pinned Debian archives.",
)
