/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the ftrace trace reader (the body is fuzz-trace.h). */
#define FORMAT "ftrace"
#include "fuzz-trace.h"
