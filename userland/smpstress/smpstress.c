/* smpstress with a short ping-pong (2,000 rounds a run): the suite's. */
#include "userland/smpstress/smpstress_main.inc"
