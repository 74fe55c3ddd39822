/*
 * The node pass of fdt_parse_platform: one walk over the structure block
 * with a fixed stack of per-depth node state (no recursion, no allocation).
 *
 * A node's properties are complete at its first child or at its END_NODE
 * (properties precede children, 5.4.2); node_finish then acts on what they
 * said. Its reg is decoded with the #address-cells / #size-cells of its
 * parent (2.3.5), whose properties were complete before this node began,
 * then translated through the ranges of every ancestor bus (2.3.8): all of
 * them are open on the stack, their properties complete.
 *
 * Interrupts: only the timer's, the console's and the devices' are
 * decoded, after the walk, when the controllers' #interrupt-cells and
 * phandles are known (fdt_irq.c). Each node's interrupt parent is tracked
 * down the stack as Linux finds it: its own interrupt-parent, else its
 * parent node if that is an interrupt controller or nexus (has
 * #interrupt-cells), else its parent's interrupt parent.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fdt/fdt.h"
#include "kernel/fdt/fdt_priv.h"

/* SMC32 function ids of PSCI 0.2 and later (Arm DEN 0022, 5.1). */
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u

/* What a node's properties and place said (node_state.flags). */
#define NODE_PL011 (1u << 0)            /* compatible "arm,pl011" */
#define NODE_GIC_V2 (1u << 1)           /* compatible with a GICv2 */
#define NODE_GIC_V3 (1u << 2)           /* compatible "arm,gic-v3" */
#define NODE_TIMER (1u << 3)            /* compatible "arm,armv8-timer" / "arm,armv7-timer" */
#define NODE_PSCI_0_2 (1u << 4)         /* compatible "arm,psci-0.2" / "arm,psci-1.0" */
#define NODE_PSCI (1u << 5)             /* compatible "arm,psci" (PSCI 0.1) */
#define NODE_MEMORY (1u << 6)           /* device_type "memory" */
#define NODE_CPU (1u << 7)              /* device_type "cpu" */
#define NODE_DISABLED (1u << 8)         /* status other than "okay" / "ok" */
#define NODE_CPUS (1u << 9)             /* it is /cpus */
#define NODE_RESERVED_MEMORY (1u << 10) /* it is /reserved-memory */
#define NODE_DONE (1u << 11)            /* properties complete, node_finish ran */
#define NODE_IRQ_CELLS (1u << 12)       /* has #interrupt-cells */
#define NODE_COMPATIBLE (1u << 13)      /* has a compatible property */
#define NODE_BCM_LOCAL (1u << 14)       /* compatible "brcm,bcm2836-l1-intc" */
#define NODE_BCM_ARMCTRL (1u << 15)     /* compatible "brcm,bcm2836-armctrl-ic" */
#define NODE_BCM_PM (1u << 16)          /* compatible "brcm,bcm2835-pm-wdt" / "brcm,bcm2835-pm" */
/* Nodes that are the kernel's or no device: never in fdt_platform.devices. */
#define NODE_NOT_DEVICE                                                                            \
    (NODE_GIC_V2 | NODE_GIC_V3 | NODE_TIMER | NODE_PSCI_0_2 | NODE_PSCI | NODE_MEMORY | NODE_CPU | \
     NODE_BCM_LOCAL | NODE_BCM_ARMCTRL | NODE_BCM_PM)

/** Device nodes whose interrupts are decoded after the walk (more are left out). */
#define MAX_DEVICE_IRQ_NODES FDT_MAX_DEVICE_IRQS

/** #address-cells / #size-cells value of a malformed property: decoding reg under it fails. */
#define CELLS_INVALID 0xffffffffu
/** node_state.path_pos of a node that is not on the stdout path. */
#define PATH_NONE 0xffffffffu
/* node_state.irq_parent values that are not phandles (fdt_priv.h). */
#define IRQ_PARENT_DEFAULT FDT_IRQ_PARENT_DEFAULT
#define IRQ_PARENT_OTHER FDT_IRQ_PARENT_OTHER

/** One open node. */
struct node_state {
    uint32_t flags;
    uint32_t address_cells;     /* its #address-cells, for its children (default 2) */
    uint32_t size_cells;        /* its #size-cells, for its children (default 1) */
    uint32_t path_pos;          /* bytes of the stdout path its path matches, or PATH_NONE */
    struct fdt_span path_child; /* path_next_component(path_pos): its children's */
    uint32_t phandle;           /* its phandle, 0 when it has none */
    uint32_t irq_parent;        /* its interrupt parent's phandle or IRQ_PARENT_*, set at finish */
    struct fdt_span reg;        /* property values; absent until seen */
    struct fdt_span ranges;
    struct fdt_span interrupts;
    struct fdt_span interrupts_extended;
    struct fdt_span interrupt_parent;
    struct fdt_span interrupt_cells;
    struct fdt_span redistributor_regions;
    struct fdt_span clock_frequency;
    struct fdt_span method;           /* PSCI's method */
    struct fdt_span enable_method;    /* a CPU's */
    struct fdt_span cpu_release_addr; /* a CPU's */
};

/**
 * A UART candidate: its translated reg[0] (or why it has none) and what its
 * interrupts need, decoded only if it becomes the console.
 */
struct uart_pick {
    bool found;
    fdt_error error; /* decoding or translating its reg */
    struct fdt_range reg;
    struct fdt_irq_node irq; /* its interrupts and interrupt parent */
    struct fdt_span interrupts_extended;
};

/** The state of the pass. */
struct node_ctx {
    const struct fdt_blob *blob;
    struct fdt_platform *out;
    struct fdt_span stdout_path; /* empty when there is none */
    struct uart_pick stdout_uart;
    struct uart_pick first_uart;
    bool have_timer;
    bool have_psci;
    bool have_pm;
    struct fdt_irq_ctrls ctrls; /* the first GIC and BCM2836 controllers */
    struct fdt_irq_node timer;  /* the first timer's interrupts */
    /* Device nodes' interrupts and interrupt parents, decoded at the end. */
    struct fdt_irq_node device_irq_nodes[MAX_DEVICE_IRQ_NODES];
    uint32_t device_irq_node_count;
    struct node_state nodes[FDT_MAX_DEPTH]; /* nodes[d - 1]: the open node at depth d */
};

/* ---- Properties ------------------------------------------------------- */

/**
 * The NODE_* flags of a compatible string that begins "brcm,": model is the
 * rest. The BCM2836 interrupt controllers and the BCM2835 power manager.
 */
static uint32_t brcm_flags(const struct fdt_blob *b, struct fdt_span model)
{
    if (fdt_span_is(b, model, "bcm2836-l1-intc")) {
        return NODE_BCM_LOCAL;
    }
    if (fdt_span_is(b, model, "bcm2836-armctrl-ic")) {
        return NODE_BCM_ARMCTRL;
    }
    return fdt_span_is(b, model, "bcm2835-pm-wdt") || fdt_span_is(b, model, "bcm2835-pm")
               ? NODE_BCM_PM
               : 0;
}

/**
 * The NODE_* flags that one compatible string s (without its NUL) sets.
 * Every compatible the kernel knows begins "arm," or "brcm,": a string that
 * does neither is ruled out by its first bytes, and an "arm," one is
 * compared only with the names that share its fifth byte.
 */
static uint32_t compatible_flags(const struct fdt_blob *b, struct fdt_span s)
{
    const uint8_t *p = b->base + s.off;
    if (s.len <= 4 || p[0] != 'a' || p[1] != 'r' || p[2] != 'm' || p[3] != ',') {
        if (s.len > 5 && p[0] == 'b' && p[1] == 'r' && p[2] == 'c' && p[3] == 'm' && p[4] == ',') {
            struct fdt_span model = {s.off + 5, s.len - 5}; /* after "brcm," */
            return brcm_flags(b, model);
        }
        return 0;
    }
    struct fdt_span model = {s.off + 4, s.len - 4}; /* after "arm," */
    switch (p[4]) {
    case 'p':
        if (fdt_span_is(b, model, "pl011")) {
            return NODE_PL011;
        }
        if (fdt_span_is(b, model, "psci-1.0") || fdt_span_is(b, model, "psci-0.2")) {
            return NODE_PSCI_0_2;
        }
        return fdt_span_is(b, model, "psci") ? NODE_PSCI : 0;
    case 'c':
        return fdt_span_is(b, model, "cortex-a15-gic") || fdt_span_is(b, model, "cortex-a9-gic")
                   ? NODE_GIC_V2
                   : 0;
    case 'g':
        if (fdt_span_is(b, model, "gic-400")) {
            return NODE_GIC_V2;
        }
        return fdt_span_is(b, model, "gic-v3") ? NODE_GIC_V3 : 0;
    case 'a':
        return fdt_span_is(b, model, "armv8-timer") || fdt_span_is(b, model, "armv7-timer")
                   ? NODE_TIMER
                   : 0;
    default:
        return 0;
    }
}

/**
 * Records which of the compatibles we know the string list v names (any
 * entry matches), in one pass over its strings.
 */
static fdt_error read_compatible(const struct fdt_blob *b, struct node_state *n, struct fdt_span v)
{
    fdt_error e = fdt_prop_check_string(b, v);
    if (e != FDT_OK) {
        return e;
    }
    n->flags |= NODE_COMPATIBLE;
    const uint8_t *p = b->base + v.off;
    uint32_t start = 0;
    for (uint32_t i = 0; i < v.len; i++) {
        if (p[i] == 0) {
            struct fdt_span s = {v.off + start, i - start};
            n->flags |= compatible_flags(b, s);
            start = i + 1;
        }
    }
    return FDT_OK;
}

/** Sets flag in n if the string v is lit (v must be a string: BAD_PROPERTY otherwise). */
static fdt_error read_string_flag(const struct fdt_blob *b, struct node_state *n, struct fdt_span v,
                                  const char *lit, uint32_t flag)
{
    fdt_error e = fdt_prop_check_string(b, v);
    if (e == FDT_OK && fdt_span_is(b, fdt_prop_first_string(b, v), lit)) {
        n->flags |= flag;
    }
    return e;
}

/** Reads a status property (2.3.4): anything but "okay" (or the older "ok") disables. */
static fdt_error read_status(const struct fdt_blob *b, struct node_state *n, struct fdt_span v)
{
    fdt_error e = fdt_prop_check_string(b, v);
    struct fdt_span s = fdt_prop_first_string(b, v);
    if (e == FDT_OK && !fdt_span_is(b, s, "okay") && !fdt_span_is(b, s, "ok")) {
        n->flags |= NODE_DISABLED;
    }
    return e;
}

/** Reads #address-cells or #size-cells; a malformed one poisons later decoding. */
static void read_cells(const struct fdt_blob *b, struct fdt_span v, uint32_t *cells)
{
    if (fdt_prop_u32(b, v, cells) != FDT_OK) {
        *cells = CELLS_INVALID;
    }
}

/** Reads phandle (or the older linux,phandle); a malformed one is no phandle. */
static void read_phandle(const struct fdt_blob *b, struct node_state *n, struct fdt_span v)
{
    uint32_t value;
    if (fdt_prop_u32(b, v, &value) == FDT_OK && value != IRQ_PARENT_OTHER) {
        n->phandle = value;
    }
}

/** Records the '#' properties: #address-cells, #size-cells, #interrupt-cells,
 * #redistributor-regions. */
static void node_prop_cells(const struct fdt_blob *b, struct node_state *n, uint32_t name,
                            struct fdt_span v)
{
    if (fdt_name_is(b, name, "#address-cells")) {
        read_cells(b, v, &n->address_cells);
    } else if (fdt_name_is(b, name, "#size-cells")) {
        read_cells(b, v, &n->size_cells);
    } else if (fdt_name_is(b, name, "#interrupt-cells")) {
        n->interrupt_cells = v;
        n->flags |= NODE_IRQ_CELLS;
    } else if (fdt_name_is(b, name, "#redistributor-regions")) {
        n->redistributor_regions = v;
    }
}

/**
 * Records what property t says about node n. The name is told apart by its
 * first byte, then compared only with the names that begin with it (each
 * comparison stops at the first difference): most of a tree's properties
 * are ones this pass ignores.
 */
static fdt_error node_prop(const struct fdt_blob *b, struct node_state *n,
                           const struct fdt_token *t)
{
    uint32_t name = t->prop_name;
    struct fdt_span v = t->value;
    switch (b->base[name]) {
    case 'c':
        if (fdt_name_is(b, name, "compatible")) {
            return read_compatible(b, n, v);
        }
        if (fdt_name_is(b, name, "clock-frequency")) {
            n->clock_frequency = v;
        } else if (fdt_name_is(b, name, "cpu-release-addr")) {
            n->cpu_release_addr = v;
        }
        return FDT_OK;
    case 'd':
        if (fdt_name_is(b, name, "device_type")) {
            fdt_error e = read_string_flag(b, n, v, "memory", NODE_MEMORY);
            return e == FDT_OK ? read_string_flag(b, n, v, "cpu", NODE_CPU) : e;
        }
        return FDT_OK;
    case 's':
        return fdt_name_is(b, name, "status") ? read_status(b, n, v) : FDT_OK;
    case 'r':
        if (fdt_name_is(b, name, "reg")) {
            n->reg = v;
        } else if (fdt_name_is(b, name, "ranges")) {
            n->ranges = v;
        }
        return FDT_OK;
    case 'i':
        if (fdt_name_is(b, name, "interrupts")) {
            n->interrupts = v;
        } else if (fdt_name_is(b, name, "interrupts-extended")) {
            n->interrupts_extended = v;
        } else if (fdt_name_is(b, name, "interrupt-parent")) {
            n->interrupt_parent = v;
        }
        return FDT_OK;
    case '#':
        node_prop_cells(b, n, name, v);
        return FDT_OK;
    case 'p':
    case 'l':
        if (fdt_name_is(b, name, "phandle") || fdt_name_is(b, name, "linux,phandle")) {
            read_phandle(b, n, v);
        }
        return FDT_OK;
    case 'm':
        if (fdt_name_is(b, name, "method")) {
            n->method = v;
        }
        return FDT_OK;
    case 'e':
        if (fdt_name_is(b, name, "enable-method")) {
            n->enable_method = v;
        }
        return FDT_OK;
    default:
        return FDT_OK;
    }
}

/* ---- The stdout path -------------------------------------------------- */

/**
 * Whether a node's name matches the path component comp: equal, or comp is
 * the name without its unit address ("pl011" for "pl011@9000000"), which a
 * path may omit (2.2.3).
 */
static bool component_matches(const struct fdt_blob *b, struct fdt_span name, struct fdt_span comp)
{
    if (fdt_span_equal(b, name, comp)) {
        return true;
    }
    if (comp.len == 0 || comp.len >= name.len || b->base[name.off + comp.len] != '@') {
        return false;
    }
    struct fdt_span base = {name.off, comp.len};
    return fdt_span_equal(b, base, comp);
}

/**
 * The component of the stdout path that follows its first pos bytes (those
 * a node's path matched): the name its children must match. off is 0 when
 * there is none (pos is PATH_NONE, or the path ends or goes on otherwise
 * than with '/'). Found once per node on the path, not once per child.
 */
static struct fdt_span path_next_component(const struct node_ctx *c, uint32_t pos)
{
    const struct fdt_span path = c->stdout_path;
    const uint8_t *base = c->blob->base;
    struct fdt_span comp = {0, 0};
    if (pos == PATH_NONE || pos >= path.len || base[path.off + pos] != '/') {
        return comp;
    }
    comp.off = path.off + pos + 1; /* not 0: path.off is a value's, past the header */
    while (pos + 1 + comp.len < path.len && base[comp.off + comp.len] != '/') {
        comp.len++;
    }
    return comp;
}

/**
 * Matches a child named name of parent against the stdout path. Returns the
 * bytes matched with the child's component, or PATH_NONE.
 */
static uint32_t path_step(const struct node_ctx *c, const struct node_state *parent,
                          struct fdt_span name)
{
    struct fdt_span comp = parent->path_child;
    if (comp.off == 0 || !component_matches(c->blob, name, comp)) {
        return PATH_NONE;
    }
    return parent->path_pos + 1 + comp.len;
}

/* ---- Finishing a node ------------------------------------------------- */

/**
 * Decodes entry index of the reg of the node at depth (>= 2) and translates
 * it to a CPU address through every bus above it. BAD_PROPERTY if it has no
 * such entry.
 */
static fdt_error reg_entry(const struct node_ctx *c, uint32_t depth, uint32_t index,
                           struct fdt_range *out)
{
    const struct node_state *n = &c->nodes[depth - 1];
    const struct node_state *parent = &c->nodes[depth - 2];
    uint32_t count = 0;
    struct fdt_range r;
    fdt_error e = FDT_ERR_BAD_PROPERTY;
    if (n->reg.off != 0) {
        e = fdt_prop_reg_count(n->reg, parent->address_cells, parent->size_cells, &count);
    }
    if (e == FDT_OK && index >= count) {
        e = FDT_ERR_BAD_PROPERTY;
    }
    if (e == FDT_OK) {
        e = fdt_prop_reg(c->blob, n->reg, parent->address_cells, parent->size_cells, index, &r);
    }
    /* bus: the depth of each ancestor below the root, nearest first. */
    for (uint32_t bus = depth - 1; e == FDT_OK && bus >= 2; bus--) {
        const struct node_state *b = &c->nodes[bus - 1];
        e = fdt_prop_translate(c->blob, b->ranges, b->address_cells,
                               c->nodes[bus - 2].address_cells, b->size_cells, &r);
    }
    if (e == FDT_OK) {
        *out = r;
    }
    return e;
}

/** The number of reg entries of the node at depth under its parent's cells (0 without reg). */
static fdt_error reg_count(const struct node_ctx *c, uint32_t depth, uint32_t *count)
{
    const struct node_state *n = &c->nodes[depth - 1];
    const struct node_state *parent = &c->nodes[depth - 2];
    *count = 0;
    if (n->reg.off == 0) {
        return FDT_OK;
    }
    return fdt_prop_reg_count(n->reg, parent->address_cells, parent->size_cells, count);
}

/** Whether entry index of the checked reg of the node at depth is empty (size 0). */
static bool reg_entry_empty(const struct node_ctx *c, uint32_t depth, uint32_t index)
{
    const struct node_state *parent = &c->nodes[depth - 2];
    struct fdt_range r = {0, 0};
    (void)fdt_prop_reg(c->blob, c->nodes[depth - 1].reg, parent->address_cells, parent->size_cells,
                       index, &r);
    return r.size == 0;
}

/** Appends every non-empty RAM entry of the node at depth; past capacity, counts them. */
static fdt_error add_ram(struct node_ctx *c, uint32_t depth)
{
    struct fdt_platform *out = c->out;
    uint32_t entries = 0;
    fdt_error e = reg_count(c, depth, &entries);
    for (uint32_t i = 0; e == FDT_OK && i < entries; i++) {
        struct fdt_range r;
        if (reg_entry_empty(c, depth, i)) {
            continue;
        }
        e = reg_entry(c, depth, i, &r);
        if (e == FDT_OK && out->ram_count < FDT_MAX_RAM_RANGES) {
            out->ram[out->ram_count++] = r;
        } else if (e == FDT_OK) {
            out->ram_dropped++; /* RAM left unused is safe */
        }
    }
    return e;
}

/** Appends every non-empty reserved entry of the node at depth; none may be dropped. */
static fdt_error add_reserved(struct node_ctx *c, uint32_t depth)
{
    struct fdt_platform *out = c->out;
    uint32_t entries = 0;
    fdt_error e = reg_count(c, depth, &entries);
    for (uint32_t i = 0; e == FDT_OK && i < entries; i++) {
        struct fdt_range r;
        if (reg_entry_empty(c, depth, i)) {
            continue;
        }
        e = reg_entry(c, depth, i, &r);
        if (e == FDT_OK && out->reserved_count >= FDT_MAX_RESERVED) {
            e = FDT_ERR_TOO_MANY;
        }
        if (e == FDT_OK) {
            out->reserved[out->reserved_count++] = r;
        }
    }
    return e;
}

/** Fills *p from the pl011 at depth (field by field: no struct copy, so no memcpy call). */
static void fill_uart_pick(const struct node_ctx *c, uint32_t depth, struct uart_pick *p)
{
    const struct node_state *n = &c->nodes[depth - 1];
    p->found = true;
    p->reg.base = p->reg.size = 0;
    p->error = reg_entry(c, depth, 0, &p->reg);
    p->irq.interrupts = n->interrupts;
    p->irq.irq_parent = n->irq_parent;
    p->interrupts_extended = n->interrupts_extended;
}

/**
 * Records a pl011 as the stdout UART and/or the first UART, if it fills
 * either. Errors in its reg are kept in the pick, not returned: they matter
 * only if this UART becomes the console.
 */
static void take_uart(struct node_ctx *c, uint32_t depth)
{
    const struct node_state *n = &c->nodes[depth - 1];
    bool is_stdout =
        c->stdout_path.len > 0 && n->path_pos == c->stdout_path.len && !c->stdout_uart.found;
    if (is_stdout) {
        fill_uart_pick(c, depth, &c->stdout_uart);
    }
    if (!c->first_uart.found) {
        fill_uart_pick(c, depth, &c->first_uart);
    }
}

/** Notes controller *ctrl found as the node n: its phandle and #interrupt-cells. */
static void found_ctrl(struct fdt_irq_ctrl *ctrl, const struct node_state *n)
{
    ctrl->found = true;
    ctrl->phandle = n->phandle;
    ctrl->cells = n->interrupt_cells;
}

/**
 * Records the GIC: reg[0] the distributor; for v2 reg[1] the CPU
 * interface, for v3 reg[1 .. #redistributor-regions] the redistributors.
 */
static fdt_error take_gic(struct node_ctx *c, uint32_t depth)
{
    const struct node_state *n = &c->nodes[depth - 1];
    struct fdt_platform *out = c->out;
    found_ctrl(&c->ctrls.gic, n);
    out->gic_version = (n->flags & NODE_GIC_V3) != 0 ? FDT_GIC_V3 : FDT_GIC_V2;
    fdt_error e = reg_entry(c, depth, 0, &out->gicd);
    if (e != FDT_OK || out->gic_version == FDT_GIC_V2) {
        return e == FDT_OK ? reg_entry(c, depth, 1, &out->gicc) : e;
    }
    uint32_t regions = 1;
    if (n->redistributor_regions.off != 0) {
        e = fdt_prop_u32(c->blob, n->redistributor_regions, &regions);
    }
    if (e == FDT_OK && regions == 0) {
        e = FDT_ERR_BAD_PROPERTY;
    }
    for (uint32_t i = 0; e == FDT_OK && i < regions; i++) {
        struct fdt_range r;
        e = reg_entry(c, depth, 1 + i, &r); /* BAD_PROPERTY past the last entry */
        if (e == FDT_OK && out->gicr_count < FDT_MAX_GICR_REGIONS) {
            out->gicr[out->gicr_count++] = r;
        } else if (e == FDT_OK) {
            out->gicr_dropped++;
        }
    }
    return e;
}

/**
 * Records the first BCM2836 local controller (bcm_local) or BCM2835
 * peripheral controller (bcm_armctrl) of the kind the node at depth is:
 * its translated reg[0] (BAD_PROPERTY without one), phandle and cells.
 */
static fdt_error take_bcm_ctrl(struct node_ctx *c, uint32_t depth)
{
    const struct node_state *n = &c->nodes[depth - 1];
    bool local = (n->flags & NODE_BCM_LOCAL) != 0;
    struct fdt_irq_ctrl *ctrl = local ? &c->ctrls.bcm_local : &c->ctrls.bcm_armctrl;
    if (ctrl->found) {
        return FDT_OK;
    }
    found_ctrl(ctrl, n);
    return reg_entry(c, depth, 0, local ? &c->out->bcm_local : &c->out->bcm_armctrl);
}

/** Records the first BCM2835 PM: its translated reg[0] (BAD_PROPERTY without one). */
static fdt_error take_pm(struct node_ctx *c, uint32_t depth)
{
    c->have_pm = true;
    return reg_entry(c, depth, 0, &c->out->power);
}

/** Records the timer; its interrupts are decoded after the walk (fdt_irq.c). */
static fdt_error take_timer(struct node_ctx *c, const struct node_state *n)
{
    c->have_timer = true;
    c->timer.interrupts = n->interrupts;
    c->timer.irq_parent = n->irq_parent;
    if (n->clock_frequency.off != 0) {
        return fdt_prop_u32(c->blob, n->clock_frequency, &c->out->timer_frequency);
    }
    return FDT_OK;
}

/** Records PSCI: the conduit from method, the standard function ids from PSCI 0.2 on. */
static fdt_error take_psci(struct node_ctx *c, const struct node_state *n)
{
    struct fdt_platform *out = c->out;
    c->have_psci = true;
    if (n->method.off == 0 || fdt_prop_check_string(c->blob, n->method) != FDT_OK) {
        return FDT_ERR_BAD_PROPERTY;
    }
    struct fdt_span m = fdt_prop_first_string(c->blob, n->method);
    if (fdt_span_is(c->blob, m, "hvc")) {
        out->psci_conduit = FDT_PSCI_HVC;
    } else if (fdt_span_is(c->blob, m, "smc")) {
        out->psci_conduit = FDT_PSCI_SMC;
    } else {
        return FDT_ERR_BAD_PROPERTY;
    }
    if ((n->flags & NODE_PSCI_0_2) != 0) {
        out->psci_system_off = PSCI_0_2_FN_SYSTEM_OFF;
        out->psci_system_reset = PSCI_0_2_FN_SYSTEM_RESET;
    }
    return FDT_OK;
}

/**
 * Records a device node (see fdt_platform.devices): its reg ranges now,
 * its interrupts for after the walk. Never an error of the blob.
 */
static void take_device(struct node_ctx *c, uint32_t depth)
{
    const struct node_state *n = &c->nodes[depth - 1];
    struct fdt_platform *out = c->out;
    uint32_t entries = 0;
    if (reg_count(c, depth, &entries) != FDT_OK) {
        entries = 0;
    }
    for (uint32_t i = 0; i < entries; i++) {
        struct fdt_range r;
        if (reg_entry_empty(c, depth, i) || reg_entry(c, depth, i, &r) != FDT_OK) {
            continue;
        }
        if (out->device_count < FDT_MAX_DEVICE_RANGES) {
            out->devices[out->device_count++] = r;
        } else {
            out->devices_dropped++;
        }
    }
    if (n->interrupts.off == 0) {
        return;
    }
    if (c->device_irq_node_count < MAX_DEVICE_IRQ_NODES) {
        struct fdt_irq_node *d = &c->device_irq_nodes[c->device_irq_node_count++];
        d->interrupts = n->interrupts;
        d->irq_parent = n->irq_parent;
    } else {
        out->device_irqs_dropped++;
    }
}

/** Acts on the complete properties of the node at depth (>= 2). */
static fdt_error take_node(struct node_ctx *c, uint32_t depth)
{
    const struct node_state *n = &c->nodes[depth - 1];
    const struct node_state *parent = &c->nodes[depth - 2];
    fdt_error e = FDT_OK;
    if ((n->flags & NODE_MEMORY) != 0) {
        e = add_ram(c, depth);
    }
    if (e == FDT_OK && (parent->flags & NODE_RESERVED_MEMORY) != 0) {
        e = add_reserved(c, depth);
    }
    if (e == FDT_OK && (n->flags & NODE_PL011) != 0) {
        take_uart(c, depth);
    }
    if (e == FDT_OK && (n->flags & (NODE_GIC_V2 | NODE_GIC_V3)) != 0 && !c->ctrls.gic.found) {
        e = take_gic(c, depth);
    }
    if (e == FDT_OK && (n->flags & (NODE_BCM_LOCAL | NODE_BCM_ARMCTRL)) != 0) {
        e = take_bcm_ctrl(c, depth);
    }
    if (e == FDT_OK && (n->flags & NODE_BCM_PM) != 0 && !c->have_pm) {
        e = take_pm(c, depth);
    }
    if (e == FDT_OK && (n->flags & NODE_TIMER) != 0 && !c->have_timer) {
        e = take_timer(c, n);
    }
    if (e == FDT_OK && (n->flags & (NODE_PSCI_0_2 | NODE_PSCI)) != 0 && !c->have_psci) {
        e = take_psci(c, n);
    }
    if (e == FDT_OK && (n->flags & NODE_COMPATIBLE) != 0 && (n->flags & NODE_NOT_DEVICE) == 0 &&
        (parent->flags & NODE_RESERVED_MEMORY) == 0) {
        take_device(c, depth);
    }
    return e;
}

/**
 * The interrupt parent of n, whose parent node is parent (NULL for the
 * root): its interrupt-parent, else parent if that is an interrupt
 * controller or nexus, else parent's interrupt parent.
 */
static uint32_t irq_parent_of(const struct fdt_blob *b, const struct node_state *n,
                              const struct node_state *parent)
{
    uint32_t phandle;
    if (n->interrupt_parent.off != 0) {
        if (fdt_prop_u32(b, n->interrupt_parent, &phandle) != FDT_OK ||
            phandle == IRQ_PARENT_DEFAULT) {
            return IRQ_PARENT_OTHER;
        }
        return phandle;
    }
    if (parent == NULL) {
        return IRQ_PARENT_DEFAULT;
    }
    if ((parent->flags & NODE_IRQ_CELLS) != 0) {
        return parent->phandle != 0 ? parent->phandle : IRQ_PARENT_OTHER;
    }
    return parent->irq_parent;
}

/**
 * Describes a CPU (fdt_platform.cpus; cpu_count is counted by the caller):
 * its enable-method's first string, its 64-bit cpu-release-addr and its
 * reg (MPIDR), decoded with parent's (/cpus) #address-cells. Never
 * an error of the blob: a value that does not decode only means the CPU
 * cannot be started (FDT_CPU_ENABLE_OTHER, release_addr 0).
 */
static void take_cpu(struct node_ctx *c, const struct node_state *n,
                     const struct node_state *parent)
{
    struct fdt_platform *out = c->out;
    if (out->cpu_count >= FDT_MAX_CPUS) {
        out->cpus_dropped++;
        return;
    }
    struct fdt_cpu *cpu = &out->cpus[out->cpu_count];
    struct fdt_span m = n->enable_method;
    if (m.off != 0) {
        cpu->enable_method = FDT_CPU_ENABLE_OTHER;
    }
    if (m.off != 0 && fdt_prop_check_string(c->blob, m) == FDT_OK) {
        struct fdt_span s = fdt_prop_first_string(c->blob, m);
        if (fdt_span_is(c->blob, s, "spin-table")) {
            cpu->enable_method = FDT_CPU_ENABLE_SPIN_TABLE;
        } else if (fdt_span_is(c->blob, s, "psci")) {
            cpu->enable_method = FDT_CPU_ENABLE_PSCI;
        }
    }
    if (n->cpu_release_addr.off != 0 && n->cpu_release_addr.len == 8) {
        cpu->release_addr = fdt_read_be64(c->blob->base + n->cpu_release_addr.off);
    }
    cpu->disabled = (n->flags & NODE_DISABLED) != 0 ? 1u : 0u;
    cpu->mpidr = FDT_CPU_NO_MPIDR;
    uint32_t cells = parent->address_cells;
    if (n->reg.off != 0 && (cells == 1 || cells == 2) && n->reg.len == 4 * cells) {
        const uint8_t *v = c->blob->base + n->reg.off;
        cpu->mpidr = cells == 1 ? fdt_read_be32(v) : fdt_read_be64(v);
    }
}

/** Marks the node at depth finished and acts on it (the root needs nothing). */
static fdt_error node_finish(struct node_ctx *c, uint32_t depth)
{
    struct node_state *n = &c->nodes[depth - 1];
    n->flags |= NODE_DONE;
    if (depth == 1) {
        n->irq_parent = irq_parent_of(c->blob, n, NULL);
        return FDT_OK;
    }
    const struct node_state *parent = &c->nodes[depth - 2];
    n->irq_parent = irq_parent_of(c->blob, n, parent);
    if ((parent->flags & NODE_CPUS) != 0 && (n->flags & NODE_CPU) != 0) {
        take_cpu(c, n, parent);
        c->out->cpu_count++; /* disabled CPUs too: offline, but present (3.7) */
    }
    if ((n->flags & NODE_DISABLED) != 0) {
        return FDT_OK;
    }
    return take_node(c, depth);
}

/* ---- The walk --------------------------------------------------------- */

/** Whether depth indexes nodes[] (the walker guarantees it; restated for the index). */
static bool depth_ok(uint32_t depth)
{
    return depth >= 1 && depth <= FDT_MAX_DEPTH;
}

/** Opens the node at depth named name, first finishing its parent's properties. */
static fdt_error node_begin(struct node_ctx *c, uint32_t depth, struct fdt_span name)
{
    uint32_t path_pos = c->stdout_path.len > 0 ? 0 : PATH_NONE; /* the root's path is empty */
    if (depth > 1) {
        const struct node_state *parent = &c->nodes[depth - 2];
        if ((parent->flags & NODE_DONE) == 0) {
            fdt_error e = node_finish(c, depth - 1);
            if (e != FDT_OK) {
                return e;
            }
        }
        path_pos = path_step(c, parent, name);
    }
    struct node_state *n = &c->nodes[depth - 1];
    struct fdt_span absent = {0, 0};
    n->flags = 0;
    n->address_cells = 2; /* defaults when the property is absent (2.3.5) */
    n->size_cells = 1;
    n->path_pos = path_pos;
    n->path_child = path_next_component(c, path_pos);
    n->phandle = 0;
    n->irq_parent = IRQ_PARENT_DEFAULT;
    n->reg = n->ranges = n->interrupts = n->interrupts_extended = absent;
    n->interrupt_parent = n->interrupt_cells = n->redistributor_regions = absent;
    n->clock_frequency = n->method = n->enable_method = n->cpu_release_addr = absent;
    if (depth == 2 && fdt_span_is(c->blob, name, "cpus")) {
        n->flags |= NODE_CPUS;
    } else if (depth == 2 && fdt_span_is(c->blob, name, "reserved-memory")) {
        n->flags |= NODE_RESERVED_MEMORY;
    }
    return FDT_OK;
}

/** Handles one token; depth is the walker's depth after it. */
static fdt_error node_token(struct node_ctx *c, uint32_t depth, const struct fdt_token *t)
{
    if (t->kind == FDT_BEGIN_NODE && depth_ok(depth)) {
        return node_begin(c, depth, t->name);
    }
    if (t->kind == FDT_PROP && depth_ok(depth)) {
        return node_prop(c->blob, &c->nodes[depth - 1], t);
    }
    if (t->kind == FDT_END_NODE && depth_ok(depth + 1)) {
        /* The node that ended was one level deeper than the walker is now. */
        return (c->nodes[depth].flags & NODE_DONE) != 0 ? FDT_OK : node_finish(c, depth + 1);
    }
    return FDT_ERR_BAD_STRUCTURE;
}

/** The parts every platform must have, the UART choice and the deferred interrupts. */
static fdt_error finish_platform(struct node_ctx *c)
{
    struct fdt_platform *out = c->out;
    const struct uart_pick *uart = c->stdout_uart.found ? &c->stdout_uart : &c->first_uart;
    if (out->ram_count == 0) {
        return FDT_ERR_NO_MEMORY_NODE;
    }
    if (!uart->found) {
        return FDT_ERR_NO_UART;
    }
    if (uart->error != FDT_OK) {
        return uart->error;
    }
    out->uart = uart->reg;
    if (c->ctrls.gic.found) {
        out->irq_controller = out->gic_version == FDT_GIC_V3 ? FDT_IRQC_GIC_V3 : FDT_IRQC_GIC_V2;
    } else if (c->ctrls.bcm_local.found && c->ctrls.bcm_armctrl.found) {
        out->irq_controller = FDT_IRQC_BCM2836;
    } else {
        return FDT_ERR_NO_IRQ_CONTROLLER;
    }
    if (!c->have_timer) {
        return FDT_ERR_NO_TIMER;
    }
    if (c->have_psci) {
        out->power_device = FDT_POWER_PSCI;
        out->power.base = out->power.size = 0; /* a PM beside PSCI is not the power device */
    } else if (c->have_pm) {
        out->power_device = FDT_POWER_BCM2835_PM;
    }
    return fdt_irq_decode_all(c->blob, &c->ctrls, &c->timer, &uart->irq, uart->interrupts_extended,
                              c->device_irq_nodes, c->device_irq_node_count, out);
}

fdt_error fdt_node_read_all(const struct fdt_blob *b, struct fdt_span stdout_path,
                            struct fdt_platform *out)
{
    struct node_ctx c;
    struct fdt_walk w;
    struct fdt_token t;
    c.blob = b;
    c.out = out;
    c.stdout_path = stdout_path;
    c.stdout_uart.found = false;
    c.first_uart.found = false;
    c.have_timer = c.have_psci = c.have_pm = false;
    c.ctrls.gic.found = c.ctrls.bcm_local.found = c.ctrls.bcm_armctrl.found = false;
    c.timer.interrupts.off = c.timer.interrupts.len = 0;
    c.timer.irq_parent = IRQ_PARENT_DEFAULT;
    c.device_irq_node_count = 0;
    fdt_walk_init(&w, b);
    for (;;) {
        fdt_error e = fdt_walk_next(&w, &t);
        if (e == FDT_OK && t.kind == FDT_END) {
            return finish_platform(&c);
        }
        if (e == FDT_OK) {
            e = node_token(&c, w.depth, &t);
        }
        if (e != FDT_OK) {
            return e;
        }
    }
}
