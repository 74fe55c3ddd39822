"""Layering checks on the real dependency graph (DESIGN.md, "Layers").

Each check is a genquery that lists violations; layering_test.sh requires
every real list to be empty. The same checks run on a fixture tree whose
every arrow is wrong, and there every list must be non-empty, so a check
that silently matches nothing fails the test too.
"""

# name -> query over the closure of the roots ({root}), or of the images alone
# ({image}), with {p} the tree prefix.
LAYERING_RULES = {
    # The kernel reaches hardware only through hal/ interfaces.
    "kernel_uses_only_hal_interfaces": "let k = filter('^//{p}kernel[/:]', deps({root})) in " +
                                       "filter('^//{p}(bsp|hal/aarch64|hal/fake)[/:]', deps($k))",
    # hal/ depends on no kernel package.
    "hal_independent_of_kernel": "let h = filter('^//{p}hal[/:]', deps({root})) in " +
                                 "filter('^//{p}kernel[/:]', deps($h))",
    # userland/ sees only kernel/abi of the kernel, and nothing of hal/ or bsp/.
    "userland_sees_only_abi": "let u = filter('^//{p}userland[/:]', deps({root})) in " +
                              "filter('^//{p}(kernel|hal|bsp)[/:]', deps($u)) except " +
                              "filter('^//{p}kernel/abi[/:]', deps($u))",
    # Host fakes never reach the image.
    "no_fakes_in_image": "filter('^//{p}hal/fake[/:]', deps({image}))",
}

def layering_queries(prefix, image, libraries = [], other_images = []):
    """Declares one genquery per rule for the tree under `prefix`; returns their labels.

    The rules are checked on the closure of `image`, of `other_images` (the
    same kernel for other boards) and of `libraries`: the libraries not
    (yet) linked into an image must keep the layering too.
    """
    images = "set(%s)" % " ".join([image] + other_images)
    roots = [image] + other_images + libraries
    root = "set(%s)" % " ".join(roots)
    labels = []
    for rule_name, expr in sorted(LAYERING_RULES.items()):
        name = (prefix.replace("/", "_") + rule_name) if prefix else rule_name
        native.genquery(
            name = name,
            testonly = True,
            expression = expr.replace("{p}", prefix).replace("{root}", root).replace("{image}", images),
            scope = roots,
        )
        labels.append(":" + name)
    return labels
