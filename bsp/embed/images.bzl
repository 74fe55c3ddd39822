"""basalt_images: embeds files (user ELF images) in a program.

    basalt_images(
        name = "user_images",
        images = {"init": "//userland/init:init.elf"},
    )

declares `user_images`, a cc_library whose only source is the assembly that
//bsp/embed:embed_images generates: the files in .rodata.basalt_images and
the table that //kernel/images:linked reads (kernel/images/images_linked.h).
Link it, together with //kernel/images:linked, into the program that wants
the images. Each label must yield exactly one file; keys are image names
(1..31 characters of A-Z a-z 0-9 . _ -).

The files are also the library's textual headers, so the assembly action has
them as inputs for .incbin (Bazel 4.2.3 has no additional_compiler_inputs).
"""

load("@rules_cc//cc:defs.bzl", "cc_library")

def basalt_images(name, images, **kwargs):
    """Declares `name`, a cc_library embedding `images` ({image name: label}).

    kwargs (testonly, visibility, target_compatible_with, ...) go to both
    the generating genrule and the library.
    """
    names = sorted(images.keys())
    labels = []
    for image_name in names:
        if images[image_name] not in labels:
            labels.append(images[image_name])
    native.genrule(
        name = name + "_asm",
        srcs = labels,
        outs = [name + ".S"],
        cmd = " ".join(
            ["$(location //bsp/embed:embed_images) -o $@"] +
            ["'%s=$(location %s)'" % (n, images[n]) for n in names],
        ),
        tools = ["//bsp/embed:embed_images"],
        **kwargs
    )
    cc_library(
        name = name,
        srcs = [name + ".S"],
        textual_hdrs = labels,
        **kwargs
    )
