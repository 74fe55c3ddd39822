"""Repository rule: the hermetic LLVM 19 toolchain from pinned Debian archives.

Reads toolchains/debian_packages.lock and takes every archive from the first
source that has it, in this order:
  1. the local archive cache, where archives are named by their sha256
     ($BASALT_DEB_CACHE, or ~/.cache/basalt/debs);
  2. `apt-get download NAME:ARCH=VERSION`, through the machine's configured
     Debian package sources (so no host name is written here);
  3. each entry of $BASALT_DEB_MIRRORS (space-separated http:// or https://
     base URLs or absolute directories), holding either SHA256.deb files or
     Debian's pool layout (the lock's pool-path); tools/vendor_toolchain.sh
     writes such a directory.
Every archive, from every source, is checked against the lock's sha256
before it is stored in the cache (by rename, so the cache never holds a
partial or unverified file) or extracted. A source that fails is reported in
one line and the next is tried; when all fail, one message lists what was
tried. The rule then extracts the archives with dpkg-deb and checks that the
extracted binaries load their LLVM libraries from the extracted tree and not
from the host.
"""

_REFRESH = "toolchains/update_lock.sh"
_LOCK = "toolchains/debian_packages.lock"

_LLVM_BIN = "usr/lib/llvm-19/bin/"

# Binaries whose shared-library resolution is checked after extraction:
# every one the build or a test runs. (llvm-objdump, llvm-symbolizer and
# llvm-cov link the host's libcurl, for debuginfod: on a minimal Debian
# without libcurl4, the MMU-off check failed at run time instead.)
_CHECKED_BINARIES = [
    "clang-19",
    "lld",
    "llvm-ar",
    "llvm-objcopy",
    "llvm-objdump",
    "llvm-nm",
    "llvm-symbolizer",
    "llvm-cov",
    "llvm-profdata",
    "clang-format",
    "clangd",
]

# Libraries that must resolve inside the extracted tree.
_TREE_LIBRARIES = ["libLLVM.so.19.1", "libclang-cpp.so.19.1"]

# dtc (device-tree-compiler) is not an LLVM binary: it has no RUNPATH and
# needs libyaml-0.so.2, which the lock pins too (libyaml-0-2). dtc.sh, written
# here, runs it with LD_LIBRARY_PATH naming this tree's library directory, so
# the pinned libyaml is used even where the host has its own or none.
_DTC = "usr/bin/dtc"
_DTC_LIBRARY_DIR = "usr/lib/x86_64-linux-gnu"
_DTC_LIBRARIES = ["libyaml-0.so.2"]
_DTC_WRAPPER = """#!/bin/sh
# Written by toolchains/debian_toolchain.bzl: Debian's dtc from this tree,
# with the libraries of this tree (libyaml) ahead of the host's.
here=$(dirname "$0")
LD_LIBRARY_PATH="$here/%s${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$here/%s" "$@"
""" % (_DTC_LIBRARY_DIR, _DTC)

# Suites a pin may come from. Only the release suite is frozen; the others
# keep only their newest version of a package, so a pin from them rots (see
# toolchains/update_lock.sh, which refuses them unless asked explicitly).
_FROZEN_SUITES = ["bookworm"]
_MOVING_SUITES = ["bookworm-security", "bookworm-updates", "bookworm-backports", "bookworm-proposed-updates"]

# apt's downloader (package apt), for http:// and https:// mirrors.
_APT_HELPER = "/usr/lib/apt/apt-helper"

# Seconds a mirror may stay silent before it counts as down.
_MIRROR_TIMEOUT = 30

_LOCK_FIELDS = "package version arch suite sha256 destination pool-path"

_HEX = "0123456789abcdef"

def _only(text, allowed):
    """True if text is non-empty and every character of it is in allowed."""
    if not text:
        return False
    for c in text.elems():
        if c not in allowed:
            return False
    return True

_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789+-."
_VERSION_CHARS = _NAME_CHARS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ:~_"
_PATH_CHARS = _VERSION_CHARS + "/"

def _lock_error(lineno, what):
    fail("%s:%d: %s" % (_LOCK, lineno, what))

def _parse_line(lineno, line):
    """Returns the struct for one archive line, or fails naming the bad field."""
    fields = [f for f in line.replace("\t", " ").split(" ") if f]
    if len(fields) != 7:
        _lock_error(lineno, "expected '%s' (7 fields), got %d: %s" % (_LOCK_FIELDS, len(fields), line))
    name, version, arch, suite, sha256, dest, pool = fields
    if not _only(name, _NAME_CHARS):
        _lock_error(lineno, "package name %r is not a Debian package name" % name)
    if not _only(version, _VERSION_CHARS):
        _lock_error(lineno, "%s: version %r is not a Debian version" % (name, version))
    if not _only(arch, "abcdefghijklmnopqrstuvwxyz0123456789"):
        _lock_error(lineno, "%s: architecture %r is not a Debian architecture" % (name, arch))
    if suite not in _FROZEN_SUITES and suite not in _MOVING_SUITES:
        _lock_error(lineno, "%s: unknown suite %r (known: %s)" % (name, suite, ", ".join(_FROZEN_SUITES + _MOVING_SUITES)))
    if len(sha256) != 64 or not _only(sha256, _HEX):
        _lock_error(lineno, "%s: sha256 %r is not 64 lowercase hex digits" % (name, sha256))
    if dest not in ("llvm", "sysroot"):
        _lock_error(lineno, "%s: destination must be llvm or sysroot, got %r" % (name, dest))
    if (not pool.startswith("pool/") or not pool.endswith("_%s.deb" % arch) or ".." in pool or
        not _only(pool, _PATH_CHARS) or not pool.split("/")[-1].startswith(name + "_")):
        _lock_error(lineno, "%s: pool-path %r is not pool/.../%s_VERSION_%s.deb" % (name, pool, name, arch))
    return struct(name = name, version = version, arch = arch, suite = suite, sha256 = sha256, dest = dest, pool = pool)

def _parse_lock(text):
    """Returns a list of structs, one per archive line of the lock file."""
    entries = []
    for lineno, line in enumerate(text.splitlines()):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        entries.append(_parse_line(lineno + 1, line))
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

def _mirrors(rctx):
    """The BASALT_DEB_MIRRORS entries; fails on one that is neither a URL nor an absolute directory."""
    mirrors = [m for m in rctx.os.environ.get("BASALT_DEB_MIRRORS", "").replace("\t", " ").split(" ") if m]
    for m in mirrors:
        if not (m.startswith("http://") or m.startswith("https://") or m.startswith("/")):
            fail("BASALT_DEB_MIRRORS: %r is neither an http:// or https:// base URL nor an absolute directory" % m)
    return mirrors

def _note(rctx, e, source, what):
    """Reports, in one line, a source that could not give e's archive."""
    print("basalt: Debian package %s=%s: %s: %s; trying the next source" % (e.name, e.version, source, what))

def _from_apt(rctx, e, work):
    """apt-get download into work; returns (path or None, reason)."""
    if not rctx.which("apt-get"):
        return None, "apt-get is not installed"
    rctx.report_progress("apt-get download %s=%s" % (e.name, e.version))
    res = rctx.execute(["apt-get", "download", "%s:%s=%s" % (e.name, e.arch, e.version)], working_directory = str(work), quiet = True)
    if res.return_code != 0:
        lines = [l for l in res.stderr.strip().splitlines() if l]
        return None, "failed: " + (lines[-1] if lines else "exit %d" % res.return_code)
    found = _run(rctx, ["find", str(work), "-maxdepth", "1", "-name", "*.deb"], "listing " + str(work)).strip().splitlines()
    if len(found) != 1:
        return None, "produced %d archives, expected 1" % len(found)
    return rctx.path(found[0]), ""

def _from_mirror(rctx, e, mirror, work):
    """The archive from one BASALT_DEB_MIRRORS entry, into work; returns (path or None, reason)."""
    dest = work.get_child("mirror.deb")
    names = [e.sha256 + ".deb", e.pool]
    if mirror.startswith("/"):
        for rel in names:
            src = rctx.path(mirror.rstrip("/") + "/" + rel)
            if src.exists:
                _run(rctx, ["cp", str(src), str(dest)], "copying " + str(src))
                return dest, ""
        return None, "has neither %s nor %s" % (names[0], names[1])
    rctx.report_progress("downloading %s from %s" % (e.name, mirror))
    helper = rctx.path(_APT_HELPER)
    reasons = []
    for rel in names:
        url = mirror.rstrip("/") + "/" + rel
        if helper.exists:
            # apt's own HTTP client: no checksum demanded up front (so a
            # wrong file gets our hash message), apt's proxy settings, a
            # timeout for a mirror that stops answering.
            res = rctx.execute(
                [
                    str(helper),
                    "-o",
                    "APT::Sandbox::User=root",
                    "-o",
                    "Acquire::Retries=0",
                    "-o",
                    "Acquire::http::Timeout=%d" % _MIRROR_TIMEOUT,
                    "download-file",
                    url,
                    str(dest),
                ],
                quiet = True,
                timeout = 20 * _MIRROR_TIMEOUT,
            )
            if res.return_code == 0:
                return dest, ""
            errors = [l for l in res.stderr.splitlines() if l.startswith("E: Failed to fetch")]
            reasons.append(errors[0][len("E: Failed to fetch "):].strip() if errors else "apt-helper exit %d" % res.return_code)
        else:
            # Bazel's downloader insists on the checksum for http://, and
            # reports a mismatch only as a warning of its own.
            local = rctx.path("_fetch/download/" + e.name + ".deb")
            if rctx.download(url, output = local, sha256 = e.sha256, allow_fail = True).success:
                _run(rctx, ["mv", "-f", str(local), str(dest)], "moving the download into " + str(work))
                return dest, ""
            reasons.append("%s failed (see Bazel's warning above)" % url)
    return None, "serves neither %s nor %s: %s" % (names[0], names[1], "; ".join(reasons))

def _work_dir(rctx, cache, e):
    """A fresh directory for fetching e, inside the cache so that a verified
    archive moves into it by rename; inside this repository if the cache is
    not writable (the archive is then not kept)."""
    res = rctx.execute(["sh", "-c", 'mkdir -p "$1" && mktemp -d "$1/.tmp-$2.XXXXXX"', "sh", str(cache), e.name], quiet = True)
    if res.return_code == 0:
        return rctx.path(res.stdout.strip()), True
    print("basalt: Debian package %s=%s: the archive cache %s is not writable (%s); fetching without keeping the archive (set BASALT_DEB_CACHE to a writable directory)" %
          (e.name, e.version, cache, res.stderr.strip()))
    local = rctx.path("_fetch/" + e.name)
    _run(rctx, ["mkdir", "-p", str(local)], "creating " + str(local))
    return local, False

def _fetch(rctx, cache, mirrors, e):
    """Returns the path of the verified archive for entry e, fetching it if needed."""
    archive = cache.get_child(e.sha256 + ".deb")
    tried = []
    if archive.exists:
        actual = _sha256(rctx, archive)
        if actual == e.sha256:
            return archive
        what = "%s has the wrong content (sha256 %s); removed" % (archive, actual)
        if rctx.execute(["rm", "-f", str(archive)]).return_code != 0 or archive.exists:
            fail("Debian package %s=%s: the archive cache's %s has the wrong content (sha256 %s) and cannot be removed; remove it by hand" %
                 (e.name, e.version, archive, actual))
        _note(rctx, e, "archive cache", what)
        tried.append("archive cache: " + what)
    work, cached = _work_dir(rctx, cache, e)
    sources = [("apt-get download", None)] + [("mirror " + m, m) for m in mirrors]
    for source, mirror in sources:
        if mirror == None:
            path, why = _from_apt(rctx, e, work)
        else:
            path, why = _from_mirror(rctx, e, mirror, work)
        if path != None:
            actual = _sha256(rctx, path)
            if actual == e.sha256:
                final = archive if cached else work.get_child(e.sha256 + ".deb")
                _run(rctx, ["mv", "-f", str(path), str(final)], "moving the archive into " + str(final.dirname))
                if cached:
                    rctx.execute(["rm", "-rf", str(work)])
                return final
            rctx.execute(["rm", "-f", str(path)])
            why = "sha256 mismatch for Debian package %s=%s: expected %s (%s), actual %s" % (e.name, e.version, e.sha256, _LOCK, actual)
        _note(rctx, e, source, why)
        tried.append("%s: %s" % (source, why))
    rctx.execute(["rm", "-rf", str(work)])
    fail(("could not fetch Debian package %s=%s (%s, suite %s, sha256 %s). Tried:\n  %s\n" +
          "If apt's package lists are stale, run `apt-get update`. If that version has left Debian's archive, " +
          "build with a mirror that keeps it (BASALT_DEB_MIRRORS=DIR-OR-URL; tools/vendor_toolchain.sh DIR writes one), " +
          "or move the lock on with %s and commit it.") %
         (e.name, e.version, e.arch, e.suite, e.sha256, "\n  ".join(tried), _REFRESH))

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

def _check_dtc(rctx):
    """Writes dtc.sh; fails unless dtc, run through it, loads libyaml from this tree."""
    rctx.file("dtc.sh", _DTC_WRAPPER, executable = True)
    root = str(rctx.path(".").realpath)
    out = _run(rctx, ["env", "LD_LIBRARY_PATH=" + root + "/" + _DTC_LIBRARY_DIR, "ldd", _DTC], "ldd dtc")
    for lib in _DTC_LIBRARIES:
        found = [l for l in out.splitlines() if l.strip().startswith(lib + " ")]
        if not found or "=>" not in found[0]:
            fail("toolchain self-check: dtc does not load %s:\n%s" % (lib, out))
        real = str(rctx.path(found[0].split("=>")[1].strip().split(" ")[0]).realpath)
        if not real.startswith(root + "/"):
            fail("toolchain self-check: dtc loads %s from %s, outside the extracted tree %s" % (lib, real, root))
    _run(rctx, ["./dtc.sh", "--version"], "dtc --version")

def _debian_toolchain_impl(rctx):
    entries = _parse_lock(rctx.read(rctx.attr.lock))
    cache = _cache_dir(rctx)
    mirrors = _mirrors(rctx)
    for e in entries:
        if e.suite in _MOVING_SUITES:
            print("basalt: WARNING: %s %s is pinned from %s, which keeps only its newest version; this pin will stop building when that suite moves on" %
                  (e.name, e.version, e.suite))
    for e in entries:
        archive = _fetch(rctx, cache, mirrors, e)
        dest = "sysroot" if e.dest == "sysroot" else "."
        _run(rctx, ["mkdir", "-p", dest], "creating " + dest)
        rctx.report_progress("extracting " + e.name)
        _run(rctx, ["dpkg-deb", "-x", str(archive), dest], "extracting " + e.name)

    # clang's RUNPATH ($ORIGIN/../lib) finds libLLVM through this link, which
    # Debian ships in llvm-19-dev; create it rather than pull in that package.
    _run(rctx, ["ln", "-sfn", "../../x86_64-linux-gnu/libLLVM.so.19.1", "usr/lib/llvm-19/lib/libLLVM.so.19.1"], "linking libLLVM")
    _check_libraries(rctx)
    _check_dtc(rctx)
    _run(rctx, ["sh", "-c", _RELINK], "making sysroot symlinks relative")
    _run(rctx, ["rm", "-rf", "_fetch"], "removing uncached archives")

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
