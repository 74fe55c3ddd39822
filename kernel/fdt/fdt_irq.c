/*
 * The interrupts fdt_parse_platform reports, decoded after the node walk
 * (when every controller's phandle and #interrupt-cells are known: a
 * controller may come after the nodes that use it in the blob).
 *
 * A specifier is decoded by the binding of the node's interrupt parent
 * (2.4), and only when that parent is the platform's controller: the GIC
 * (the default for a node with no interrupt-parent on its path, as on QEMU
 * virt) or one of the BCM2836 pair. The parent is compared with the
 * controllers' phandles and never followed further, so interrupt-parent
 * links that point nowhere or form a cycle are simply "not the platform's
 * controller".
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fdt/fdt.h"
#include "kernel/fdt/fdt_priv.h"

/** The bindings a specifier can be decoded with. */
enum irq_binding {
    BINDING_NONE, /* not the platform's controller: not decoded */
    BINDING_GIC,
    BINDING_BCM_LOCAL,
    BINDING_BCM_ARMCTRL,
};

/** How the specifiers of each of the platform's controllers decode, found once. */
struct irq_decoder {
    const struct fdt_blob *blob;
    uint32_t kind;     /* enum fdt_irq_controller */
    uint32_t phandle0; /* GIC, or BCM local controller; 0 when it has none */
    uint32_t phandle1; /* BCM peripheral controller; 0 for a GIC or when it has none */
    uint32_t cells0;   /* their #interrupt-cells; 0 when no specifier can decode */
    uint32_t cells1;
};

/** The GIC's #interrupt-cells: 3 when absent; 0 (no entry decodes) when malformed or not 3 or 4. */
static uint32_t gic_cells(const struct fdt_blob *b, struct fdt_span v)
{
    uint32_t cells = FDT_GIC_IRQ_CELLS_MIN;
    if (v.off != 0 && fdt_prop_u32(b, v, &cells) != FDT_OK) {
        cells = 0;
    }
    return cells >= FDT_GIC_IRQ_CELLS_MIN && cells <= FDT_GIC_IRQ_CELLS_MAX ? cells : 0;
}

/** A BCM2836 controller's #interrupt-cells: 2, else 0 (absent, malformed or another count). */
static uint32_t bcm_cells(const struct fdt_blob *b, struct fdt_span v)
{
    uint32_t cells = 0;
    if (v.off == 0 || fdt_prop_u32(b, v, &cells) != FDT_OK) {
        return 0;
    }
    return cells == FDT_BCM_IRQ_CELLS ? cells : 0;
}

static void decoder_init(struct irq_decoder *d, const struct fdt_blob *b,
                         const struct fdt_irq_ctrls *ctrls, uint32_t kind)
{
    d->blob = b;
    d->kind = kind;
    d->phandle1 = d->cells1 = 0;
    if (kind == FDT_IRQC_BCM2836) {
        d->phandle0 = ctrls->bcm_local.phandle;
        d->cells0 = bcm_cells(b, ctrls->bcm_local.cells);
        d->phandle1 = ctrls->bcm_armctrl.phandle;
        d->cells1 = bcm_cells(b, ctrls->bcm_armctrl.cells);
    } else {
        d->phandle0 = ctrls->gic.phandle;
        d->cells0 = gic_cells(b, ctrls->gic.cells);
    }
}

/**
 * The binding of the interrupt parent parent (a phandle or
 * FDT_IRQ_PARENT_*), with its cells per specifier in *cells.
 */
static enum irq_binding binding_of(const struct irq_decoder *d, uint32_t parent, uint32_t *cells)
{
    bool gic = d->kind != FDT_IRQC_BCM2836;
    *cells = d->cells0;
    if (gic && parent == FDT_IRQ_PARENT_DEFAULT) {
        return BINDING_GIC;
    }
    if (parent == FDT_IRQ_PARENT_DEFAULT || parent == FDT_IRQ_PARENT_OTHER) {
        return BINDING_NONE;
    }
    if (parent == d->phandle0) {
        return gic ? BINDING_GIC : BINDING_BCM_LOCAL;
    }
    *cells = d->cells1;
    return !gic && parent == d->phandle1 ? BINDING_BCM_ARMCTRL : BINDING_NONE;
}

/** Decodes entry index of v by binding (not NONE) with cells cells each into *line. */
static fdt_error decode(const struct irq_decoder *d, enum irq_binding binding, uint32_t cells,
                        struct fdt_span v, uint32_t index, uint32_t *line)
{
    if (binding == BINDING_GIC) {
        return fdt_prop_irq(d->blob, v, cells, index, line);
    }
    return fdt_prop_irq_bcm(d->blob, v, binding == BINDING_BCM_ARMCTRL, cells, index, line);
}

/** The timer's lines: secure phys, non-secure phys, virt, hyp (arm,arch_timer binding). */
static fdt_error decode_timer(const struct irq_decoder *d, const struct fdt_irq_node *timer,
                              struct fdt_platform *out)
{
    uint32_t cells;
    enum irq_binding binding = binding_of(d, timer->irq_parent, &cells);
    if (binding == BINDING_NONE) {
        return FDT_ERR_BAD_IRQ_PARENT;
    }
    struct fdt_span v = timer->interrupts;
    fdt_error e = decode(d, binding, cells, v, 0, &out->timer_irq_phys_s);
    if (e == FDT_OK) {
        e = decode(d, binding, cells, v, 1, &out->timer_irq_phys_ns);
    }
    if (e == FDT_OK) {
        e = decode(d, binding, cells, v, 2, &out->timer_irq_virt);
    }
    if (e == FDT_OK) {
        e = decode(d, binding, cells, v, 3, &out->timer_irq_hyp);
    }
    return e;
}

/**
 * The console's line (fdt_platform.uart_irq): its first interrupts entry
 * when its interrupt parent is the platform's controller, or, without
 * interrupts, its first interrupts-extended entry when that names one of
 * the platform's controllers; else 0.
 */
static fdt_error decode_uart(const struct irq_decoder *d, const struct fdt_irq_node *uart,
                             struct fdt_span ext, uint32_t *irq)
{
    uint32_t cells;
    *irq = 0;
    if (uart->interrupts.off != 0) {
        enum irq_binding binding = binding_of(d, uart->irq_parent, &cells);
        return binding != BINDING_NONE ? decode(d, binding, cells, uart->interrupts, 0, irq)
                                       : FDT_OK;
    }
    if (ext.off == 0 || ext.len < 4) {
        return FDT_OK;
    }
    /* <&parent cells...> [<&other ...>]: only the first entry. A phandle of 0
     * names nothing here (it is not the "no parent named" default). */
    uint32_t phandle = fdt_read_be32(d->blob->base + ext.off);
    enum irq_binding binding =
        phandle == FDT_IRQ_PARENT_DEFAULT ? BINDING_NONE : binding_of(d, phandle, &cells);
    if (binding == BINDING_NONE) {
        return FDT_OK;
    }
    struct fdt_span first = {ext.off + 4, cells * 4}; /* cells <= 4: no overflow */
    if (cells == 0 || (uint64_t)first.len + 4 > ext.len) {
        return FDT_ERR_BAD_PROPERTY;
    }
    return decode(d, binding, cells, first, 0, irq);
}

/**
 * Lines seen so far, one bit each: every line a specifier decodes to is
 * below 1024 (GIC INTIDs end at 1019, the BCM2836 lines at 127), so the
 * "once each" test of device_irqs is one bit, not a search of the list (at
 * boot on QEMU virt, with about 40 device lines, the search cost more than
 * the rest of the decoding).
 */
#define LINE_LIMIT 1024u
struct line_set {
    uint64_t bits[LINE_LIMIT / 64];
};

/** Adds line to fdt_platform.device_irqs unless seen has it already. */
static void add_device_irq(struct line_set *seen, struct fdt_platform *out, uint32_t line)
{
    if (line >= LINE_LIMIT) {
        return; /* not reached: the decoders never give one */
    }
    uint64_t bit = (uint64_t)1 << (line % 64);
    if ((seen->bits[line / 64] & bit) != 0) {
        return;
    }
    seen->bits[line / 64] |= bit;
    if (out->device_irq_count < FDT_MAX_DEVICE_IRQS) {
        out->device_irqs[out->device_irq_count++] = line;
    } else {
        out->device_irqs_dropped++;
    }
}

/** The device nodes' lines, for those whose parent is the platform's controller; entries
 * that do not decode are left out. */
static void decode_devices(const struct irq_decoder *d, const struct fdt_irq_node *devices,
                           uint32_t count, struct fdt_platform *out)
{
    struct line_set seen;
    for (uint32_t w = 0; w < LINE_LIMIT / 64; w++) {
        seen.bits[w] = 0;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint32_t cells;
        enum irq_binding binding = binding_of(d, devices[i].irq_parent, &cells);
        if (binding == BINDING_NONE || cells == 0) {
            continue;
        }
        uint32_t entries = devices[i].interrupts.len / (cells * 4);
        for (uint32_t e = 0; e < entries; e++) {
            uint32_t line = 0;
            if (decode(d, binding, cells, devices[i].interrupts, e, &line) == FDT_OK) {
                add_device_irq(&seen, out, line);
            }
        }
    }
}

fdt_error fdt_irq_decode_all(const struct fdt_blob *b, const struct fdt_irq_ctrls *ctrls,
                             const struct fdt_irq_node *timer, const struct fdt_irq_node *uart,
                             struct fdt_span uart_extended, const struct fdt_irq_node *devices,
                             uint32_t device_count, struct fdt_platform *out)
{
    struct irq_decoder d;
    decoder_init(&d, b, ctrls, out->irq_controller);
    fdt_error e = decode_uart(&d, uart, uart_extended, &out->uart_irq);
    if (e == FDT_OK) {
        e = decode_timer(&d, timer, out);
    }
    if (e == FDT_OK) {
        decode_devices(&d, devices, device_count, out);
    }
    return e;
}
