"""The user programs each board's kernels embed (bsp/embed:images.bzl's basalt_images).

One list for every board, so that the image and the test kernels hold the
same programs whichever board they are built for.
"""

# The image as it ships: init is the first task.
USER_IMAGES = {
    "crash": "//userland/crash:crash_elf",
    "echo": "//userland/bench:echo_elf",
    "hello": "//userland/hello:hello_elf",
    "init": "//userland/init:init_elf",
    "procmgr": "//userland/procmgr:procmgr_elf",
    "shell": "//userland/shell:shell_elf",
    "spin": "//userland/spin:spin_elf",
    "uart": "//userland/uart:uart_elf",
    "waiter": "//userland/bench:waiter_elf",
}

# The benchmark kernel: init is the benchmark program (userland/bench).
BENCH_IMAGES = {
    "echo": "//userland/bench:echo_elf",
    "init": "//userland/bench:bench_elf",
    "irqwaiter": "//userland/bench:irqwaiter_elf",
    "waiter": "//userland/bench:waiter_elf",
    "yielder": "//userland/bench:yielder_elf",
}

# Test kernels whose init exercises one path at EL0: name -> images.
TEST_IMAGES = {
    # System-call tests at EL0: init checks every error path (userland/errors).
    "errors": {"init": "//userland/errors:errors_elf"},
    # A task that faults is reported and stopped.
    "fault": {"init": "//userland/fault"},
    # IPC with a capability transfer and a stress run.
    "pingpong": {
        "init": "//userland/pingpong:pingpong_elf",
        "pong": "//userland/pong:pong_elf",
    },
    # A revoke seen by another task.
    "revoke": {
        "holder": "//userland/holder:holder_elf",
        "init": "//userland/revoke:revoke_elf",
    },
    # The smallest program: prints and powers off.
    "smoke": {"init": "//userland/smoke"},
    # Devices in user mode on any board: the console UART from
    # SYS_CONSOLE_DEVICE, its line delivered, the UART driver serving.
    "uartdev_any": {
        "init": "//userland/uartdev:uartdev_any_elf",
        "uart": "//userland/uart:uart_elf",
        "uartvictim": "//userland/uartdev:uartvictim_elf",
    },
}

# Kernels with a boot-time test (kernel/main/boot_test.h) and the image's
# user programs, the same on every board: name -> the boot test. (QEMU
# virt has more: a PAN test and a kernel linked where no device tree fits.)
BOOT_TESTS = {
    "data_abort": "//kernel/main:boot_test_data_abort",
    "reset": "//kernel/main:boot_test_reset",
    "stack_overflow": "//kernel/main:boot_test_stack_overflow",
    "write_text": "//kernel/main:boot_test_write_text",
}
