/* smpstress with issue 15's 100,000 ping-pong rounds a run. */
#define SMPSTRESS_PINGS 100000
#define SMPSTRESS_NAME "smpstress_long"
#include "userland/smpstress/smpstress_main.inc"
