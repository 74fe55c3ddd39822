"""The user programs each board's kernels embed (bsp/embed:images.bzl's basalt_images).

One list for every board, so that the image and the test kernel hold the
same programs whichever board they are built for.

Each board has one test kernel (bsp/common/kernels.bzl): the image's
programs and every test program set below, each set's "init" renamed to
the set's name, and every boot test. The kernel command line picks what
runs: `basalt.init=NAME` the set (kernel/abi/init.h), `basalt.boot_test=NAME`
the boot test (kernel/main/boot_test.h); tests/qemu's qemu_test(init = ...,
boot_test = ...) passes them.
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

# Test program sets whose init exercises one path at EL0, on every board:
# name -> images. In the test kernel, "init" is named after the set.
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

# Boot-time tests (kernel/main/boot_test.h) on every board, run with the
# image's user programs: name (as BOOT_TEST declares it) -> library.
BOOT_TESTS = {
    "data_abort": "//kernel/main:boot_test_data_abort",
    "reset": "//kernel/main:boot_test_reset",
    "stack_overflow": "//kernel/main:boot_test_stack_overflow",
    "write_text": "//kernel/main:boot_test_write_text",
}

# The test program sets and boot tests one board alone has, as above:
# board package name -> {name: images} and {name: library}.
BOARD_TEST_IMAGES = {
    "qemu_virt": {
        # A client flooding a server with capabilities cannot starve an
        # honest one (userland/jam).
        "jam": {
            "flooder": "//userland/jam:flooder_elf",
            "honest": "//userland/jam:honest_elf",
            "init": "//userland/jam:jam_elf",
            "server": "//userland/jam:server_elf",
        },
        # A server telling three clients apart by badge, and a forger that
        # cannot pass for one of them (userland/badge).
        "badge": {
            "client": "//userland/badge:client_elf",
            "forger": "//userland/badge:forger_elf",
            "init": "//userland/badge:badge_elf",
        },
        # The EL0 system-call fuzzer (userland/fuzz) as init, long and
        # short, with its helper and an image whose segment lies in the
        # spawn stack.
        "fuzz_long": {
            "fuzzhelp": "//userland/fuzz:fuzzhelp_elf",
            "init": "//userland/fuzz:fuzz_long_elf",
            "stackseg": "//userland/fuzz:stackseg",
        },
        "fuzz_short": {
            "fuzzhelp": "//userland/fuzz:fuzzhelp_elf",
            "init": "//userland/fuzz:fuzz_short_elf",
            "stackseg": "//userland/fuzz:stackseg",
        },
        # The machine state EL0 gets (userland/machine with its probe).
        "machine": {
            "init": "//userland/machine:machine_elf",
            "probe": "//userland/machine:probe_elf",
        },
        # Translation tables charged to their space (userland/quota), with
        # an image to spawn once the quota is reached.
        "quota": {
            "hello": "//userland/hello:hello_elf",
            "init": "//userland/quota:quota_elf",
        },
        # A faulted task that holds itself and its space leaks nothing
        # (userland/selfheld with its victim).
        "selfheld": {
            "init": "//userland/selfheld:selfheld_elf",
            "victim": "//userland/selfheld:victim_elf",
        },
        # Issue 15's scenarios on several CPUs at once (userland/smpstress
        # with its workers): a short ping-pong, and issue 15's 100,000
        # rounds a run.
        "smpstress": {
            "init": "//userland/smpstress:smpstress_elf",
            "smpworker": "//userland/smpstress:smpworker_elf",
        },
        "smpstress_long": {
            "init": "//userland/smpstress:smpstress_long_elf",
            "smpworker": "//userland/smpstress:smpworker_elf",
        },
        # Deadlines of blocking calls (userland/timeout with timeout_client).
        "timeout": {
            "init": "//userland/timeout:timeout_elf",
            "timeout_client": "//userland/timeout:timeout_client_elf",
        },
        # Each task's own thread ID registers (userland/tls with tls_peer).
        "tls": {
            "init": "//userland/tls:tls_elf",
            "tls_peer": "//userland/tls:tls_peer_elf",
        },
        # Devices in user mode: refusals, IRQ delivery and acknowledge, the
        # UART driver serving writes and reads (userland/uartdev with the
        # driver and a client that dies mid-request).
        "uartdev": {
            "init": "//userland/uartdev:uartdev_elf",
            "uart": "//userland/uart:uart_elf",
            "uartvictim": "//userland/uartdev:uartvictim_elf",
        },
        # A mapping and a watch end with the capability they were made
        # through (userland/vmrevoke with userland/mapper).
        "vmrevoke": {
            "init": "//userland/vmrevoke:vmrevoke_elf",
            "mapper": "//userland/mapper:mapper_elf",
        },
        # W^X for user memory (userland/wx).
        "wx": {"init": "//userland/wx:wx_elf"},
    },
    "raspi3b": {},
}

BOARD_BOOT_TESTS = {
    # PAN: EL1 reads a user page through its user address.
    # The CPUs' start: every refusal of a made-up /cpus.
    "qemu_virt": {
        "cpus": "//bsp/qemu_virt:boot_test_cpus",
        "pan": "//bsp/qemu_virt:boot_test_pan",
        # The ticket lock and SGIs between CPUs.
        "smp": "//bsp/qemu_virt:boot_test_smp",
    },
    "raspi3b": {},
}

def test_sets(board):
    """The names `basalt.init=` may give on `board`'s test kernel, sorted."""
    return sorted(TEST_IMAGES.keys() + BOARD_TEST_IMAGES[board].keys())

def boot_tests(board):
    """`board`'s boot tests: name -> library."""
    tests = dict(BOOT_TESTS)
    tests.update(BOARD_BOOT_TESTS[board])
    return tests

def test_kernel_images(board):
    """The images of `board`'s test kernel: the image's, and every test set's with its init renamed.

    Fails when two sets give one name to different programs.
    """
    images = dict(USER_IMAGES)
    sets = dict(TEST_IMAGES)
    sets.update(BOARD_TEST_IMAGES[board])
    for test in sorted(sets.keys()):
        for name, label in sorted(sets[test].items()):
            if name == "init":
                name = test
            if images.get(name, label) != label:
                fail("test kernel images: %s is %s in set %s but %s elsewhere" % (name, label, test, images[name]))
            images[name] = label
    return images
