/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the jsonl trace reader (the body is fuzz-trace.h). */
#define FORMAT "jsonl"
#include "fuzz-trace.h"
