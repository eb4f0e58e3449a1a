/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Replays a fuzz target's corpus without libFuzzer (zstd's regression-driver
 * idea), then feeds it a fixed number of seeded mutations of the corpus so
 * that 'make check' exercises more than the seeds.  Exit 0 when every input
 * returned; a crash or sanitizer report fails the run.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* A target whose every input is slow says how many mutations it is worth. */
extern const unsigned fuzz_regress_mutations __attribute__((weak));

#define MAX_FILES 4096
#define MAX_SIZE (1u << 20)
#define MUTATIONS 3000

struct input {
	uint8_t *data;
	size_t size;
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int load(const char *path, struct input *in)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	in->data = malloc(MAX_SIZE);
	if (!in->data) {
		fclose(f);
		return -1;
	}
	n = fread(in->data, 1, MAX_SIZE, f);
	fclose(f);
	in->size = n;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	static struct input inputs[MAX_FILES];
	static char *names[MAX_FILES];
	size_t n = 0, i, m, nmut = &fuzz_regress_mutations ? fuzz_regress_mutations : MUTATIONS;
	int a;

	for (a = 1; a < argc; a++) {
		DIR *d = opendir(argv[a]);
		struct dirent *e;
		size_t first = n;

		if (!d) {
			if (n < MAX_FILES && !load(argv[a], &inputs[n]))
				n++;
			continue;
		}
		while ((e = readdir(d)) && n < MAX_FILES) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[a], e->d_name);
			names[n] = strdup(path);
			n++;
		}
		closedir(d);
		/* Directory order is not stable across file systems. */
		qsort(names + first, n - first, sizeof(*names), by_name);
		for (i = first; i < n; i++) {
			if (load(names[i], &inputs[i])) {
				fprintf(stderr, "cannot read %s\n", names[i]);
				return 2;
			}
			free(names[i]);
		}
	}
	if (!n) {
		fprintf(stderr, "no corpus inputs\n");
		return 2;
	}
	for (i = 0; i < n; i++)
		LLVMFuzzerTestOneInput(inputs[i].data, inputs[i].size);
	for (m = 0; m < nmut; m++) {
		struct input *src = &inputs[next() % n];
		size_t size = src->size, k, edits = 1 + next() % 8;
		uint8_t *buf = malloc(size + 16);

		memcpy(buf, src->data, size);
		for (k = 0; k < edits; k++) {
			switch (next() % 4) {
			case 0: /* flip a bit */
				if (size)
					buf[next() % size] ^= (uint8_t)(1u << (next() % 8));
				break;
			case 1: /* random byte */
				if (size)
					buf[next() % size] = (uint8_t)next();
				break;
			case 2: /* truncate */
				if (size)
					size = next() % size;
				break;
			case 3: /* append */
				if (size < src->size + 16)
					buf[size++] = (uint8_t)next();
				break;
			}
		}
		LLVMFuzzerTestOneInput(buf, size);
		free(buf);
	}
	printf("%zu corpus inputs, %zu mutations replayed\n", n, nmut);
	for (i = 0; i < n; i++)
		free(inputs[i].data);
	return 0;
}
