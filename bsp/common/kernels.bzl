"""board_kernels: the kernel ELFs every board builds, declared once for all boards.

A board package (bsp/<board>) with an `entry` library and a `kernel.ld`
calls board_kernels() once; it declares the embedded program sets of
bsp/common/images.bzl and the kernels that use them:

  kernel.elf        the image as it ships (USER_IMAGES)
  kernel_bench.elf  the benchmark (BENCH_IMAGES; tasks may read the PMU)
  kernel_test.elf   the test kernel: the image's programs, every test set
                    of the board (TEST_IMAGES, BOARD_TEST_IMAGES) with its
                    init named after the set, and every boot test
                    (BOOT_TESTS, BOARD_BOOT_TESTS); the command line picks
                    (basalt.init=SET, basalt.boot_test=NAME). One kernel
                    for every test: each kernel is a link on every kernel
                    change, and the edit-test loop paid for 38 of them.

and `extra` kernels the board alone has, each
(name, boot test, linkopts, images label).
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")
load("//bsp/common:images.bzl", "BENCH_IMAGES", "USER_IMAGES", "boot_tests", "test_kernel_images")
load("//bsp/embed:images.bzl", "basalt_images")

_NO_BOOT_TEST = ["//kernel/main:boot_test_none"]

def board_kernels(target_compatible_with, extra = []):
    """Declares the shared program sets and kernels of the calling board package.

    Args:
      target_compatible_with: the board's constraint, for every target.
      extra: more kernels, as (name, boot test, linkopts, images label).
    """
    board = native.package_name().split("/")[-1]
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
    basalt_images(
        name = "test_images",
        testonly = True,
        images = test_kernel_images(board),
        target_compatible_with = target_compatible_with,
    )
    tests = boot_tests(board)
    kernels = [
        ("kernel.elf", _NO_BOOT_TEST, [], ":user_images"),
        ("kernel_bench.elf", _NO_BOOT_TEST, [], ":bench_images"),
        (
            "kernel_test.elf",
            ["//kernel/main:boot_test_select"] + [tests[t] for t in sorted(tests.keys())],
            [],
            ":test_images",
        ),
    ] + [(name, [boot_test], linkopts, images) for name, boot_test, linkopts, images in extra]
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
                # Only the benchmark kernel lets tasks read the PMU counters.
                "//hal/aarch64:pmu_user_on" if name == "kernel_bench.elf" else "//hal/aarch64:pmu_user_off",
            ] + boot_test,
        )
