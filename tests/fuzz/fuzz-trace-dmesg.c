/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the dmesg trace reader (the body is fuzz-trace.h). */
#define FORMAT "dmesg"
#include "fuzz-trace.h"
