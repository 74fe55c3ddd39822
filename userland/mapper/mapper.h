#pragma once

/**
 * The mapper protocol (userland/mapper serves it, userland/vmrevoke calls
 * it): calls on the endpoint the mapper is spawned with, told apart by
 * their label.
 *
 * - MAPPER_LABEL_GIVE, capabilities: a frame (READ, WRITE, MAP) and an
 *   address space (MAP): the mapper maps the frame read-write at
 *   MAPPER_VA of that space, writes word 0 there and replies with the
 *   status of the map in word 0.
 * - MAPPER_LABEL_TOUCH: the mapper reads the word at MAPPER_VA, writes
 *   word 0 there and replies with what it read in word 0. If the page is gone, the read faults:
 *   the kernel reports it and stops the mapper, so no reply comes.
 * - MAPPER_LABEL_EXIT: the mapper replies and exits.
 */

#define MAPPER_LABEL_GIVE 1
#define MAPPER_LABEL_TOUCH 2
#define MAPPER_LABEL_EXIT 3

/** Where the mapper maps the frame it is given (clear of its image and stack). */
#define MAPPER_VA 0x10000000ull
