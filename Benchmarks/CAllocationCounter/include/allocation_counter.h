#ifndef BW_ALLOCATION_COUNTER_H
#define BW_ALLOCATION_COUNTER_H
#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc, aligned forms) made so far by the calling thread.
uint64_t bw_thread_allocations(void);

#endif
