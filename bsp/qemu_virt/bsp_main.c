#include <stdint.h>

#include "bsp/qemu_virt/board.h"
#include "bsp/qemu_virt/exception.h"
#include "bsp/qemu_virt/pl011.h"
#include "bsp/qemu_virt/psci.h"
#include "kernel/main/kernel_main.h"

/*
 * Called only from start.S, so there is no header: the contract below is
 * the whole interface.
 */
void bsp_main(uint64_t boot_el, uint64_t dtb);

/**
 * The board's C entry, from _start in start.S.
 *
 * boot_el: the exception level the image was entered at (1 or 2); the CPU
 *   now runs at EL1 either way.
 * dtb: x0 at entry, the device tree blob's physical address under the
 *   Linux arm64 boot protocol (0 when the loader passed none).
 * Requires: EL1, MMU off, DAIF masked, a stack, .bss zeroed.
 *
 * Brings up the console and the PSCI conduit, then hands over to the
 * kernel, which does not return.
 */
void bsp_main(uint64_t boot_el, uint64_t dtb)
{
    exception_install_vectors();
    pl011_init(BOARD_PL011_BASE);
    /*
     * QEMU answers PSCI on smc when it gives the guest EL2
     * (virtualization=on) and on hvc otherwise. Entered at EL2 means the
     * former. Issue 3 reads /psci "method" from the device tree instead.
     */
    psci_set_conduit(boot_el == 2 ? PSCI_CONDUIT_SMC : PSCI_CONDUIT_HVC);
    kernel_main(boot_el, dtb);
}
