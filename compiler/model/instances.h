/* instances.h: the table of SageMaker ml.* instance types (vCPUs, accelerators, memory). */
#ifndef MMEC_INSTANCES_H
#define MMEC_INSTANCES_H

#include <stddef.h>

typedef struct catalog_instance {
    const char *name;        /* "ml.g5.12xlarge" */
    unsigned vcpus;          /* vCPU count */
    unsigned gpus;           /* GPU (or accelerator) count, 0 for CPU-only */
    unsigned memory_gib;     /* memory in GiB */
    const char *accelerator; /* "NVIDIA A10G", "AWS Inferentia2", NULL for none */
} catalog_instance;

extern const catalog_instance catalog_instances[];
extern const size_t catalog_instance_count;

/* The entry named `name` (binary search; the table is sorted by strcmp), or NULL. */
const catalog_instance *catalog_instance_find(const char *name);

#endif
