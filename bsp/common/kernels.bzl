"""board_kernels: the kernel ELFs every board builds, declared once for all boards.

A board package (bsp/<board>) with an `entry` library and a `kernel.ld`
calls board_kernels() once; it declares the embedded program sets of
bsp/common/images.bzl and the kernels that use them:

  kernel.elf                  the image as it ships (USER_IMAGES)
  kernel_bench.elf            the benchmark (BENCH_IMAGES; tasks may read the PMU)
  kernel_<test>_test.elf      TEST_IMAGES' programs, and BOOT_TESTS' boot tests
                              with the image's programs

and `extra` kernels the board alone has, each
(name, boot test, linkopts, images label).
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")
load("//bsp/common:images.bzl", "BENCH_IMAGES", "BOOT_TESTS", "TEST_IMAGES", "USER_IMAGES")
load("//bsp/embed:images.bzl", "basalt_images")

_NO_BOOT_TEST = "//kernel/main:boot_test_none"

def board_kernels(target_compatible_with, extra = []):
    """Declares the shared program sets and kernels of the calling board package.

    Args:
      target_compatible_with: the board's constraint, for every target.
      extra: more kernels, as (name, boot test, linkopts, images label).
    """
    basalt_images(
        name = "user_images",
        images = USER_IMAGES,
        target_compatible_with = target_compatible_with,
    )
    basalt_images(
        name = "bench_images",
        testonly = True,
        images = BENCH_IMAGES,
        target_compatible_with = target_compatible_with,
    )
    for test, images in TEST_IMAGES.items():
        basalt_images(
            name = "%s_images" % test,
            testonly = True,
            images = images,
            target_compatible_with = target_compatible_with,
        )
    kernels = [
        ("kernel.elf", _NO_BOOT_TEST, [], ":user_images"),
        ("kernel_bench.elf", _NO_BOOT_TEST, [], ":bench_images"),
    ] + [
        ("kernel_%s_test.elf" % test, _NO_BOOT_TEST, [], ":%s_images" % test)
        for test in TEST_IMAGES.keys()
    ] + [
        ("kernel_%s_test.elf" % test, boot_test, [], ":user_images")
        for test, boot_test in BOOT_TESTS.items()
    ] + extra
    for name, boot_test, linkopts, images in kernels:
        cc_binary(
            name = name,
            testonly = name != "kernel.elf",
            additional_linker_inputs = [
                "kernel.ld",
                "//bsp/common:kernel_sections.ld",
            ],
            linkopts = ["-Wl,-T,$(location kernel.ld)"] + linkopts,
            target_compatible_with = target_compatible_with,
            deps = [
                ":entry",
                images,
                boot_test,
                # Only the benchmark kernel lets tasks read the PMU counters.
                "//hal/aarch64:pmu_user_on" if name == "kernel_bench.elf" else "//hal/aarch64:pmu_user_off",
            ],
        )
