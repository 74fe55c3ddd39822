#include "hal/fake/cpu_fake.h"

#include <stdlib.h>

#include "hal/cpu.h"

_Noreturn void hal_cpu_halt(void)
{
    exit(CPU_FAKE_HALT_EXIT_CODE);
}
