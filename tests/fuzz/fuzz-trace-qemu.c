/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the qemu trace reader (the body is fuzz-trace.h). */
#define FORMAT "qemu"
#include "fuzz-trace.h"
