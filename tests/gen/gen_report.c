/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One list of results per run, printed two ways: as the text report on
 * stdout and as the --stats-json file. Both come from the same fields, so
 * a counter cannot be in one and missing from the other.
 *
 * Keys are snake_case; arrays hold one value per class; an OPEN/CLOSE
 * pair makes a nested object (latency_ns), printed on one text line.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "gen.h"

static struct gen_field *
gen_report_add(struct gen_report *r, const char *key, uint8_t type)
{
	static struct gen_field spill;
	struct gen_field *f;

	/* a full list is a bug in this program: keep the first ones */
	if (r->n == GEN_REPORT_MAX)
		return &spill;

	f = &r->f[r->n++];
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->type = type;
	return f;
}

void
gen_report_u64(struct gen_report *r, const char *key, uint64_t v)
{
	gen_report_add(r, key, GEN_F_U64)->v.u = v;
}

void
gen_report_f64(struct gen_report *r, const char *key, double v)
{
	gen_report_add(r, key, GEN_F_F64)->v.d = v;
}

void
gen_report_str(struct gen_report *r, const char *key, const char *v)
{
	gen_report_add(r, key, GEN_F_STR)->v.s = v;
}

void
gen_report_bool(struct gen_report *r, const char *key, bool v)
{
	gen_report_add(r, key, GEN_F_BOOL)->v.u = v;
}

void
gen_report_arr(struct gen_report *r, const char *key, const uint64_t *v,
	       unsigned int n)
{
	struct gen_field *f = gen_report_add(r, key, GEN_F_ARR);

	f->n = n < GEN_CLASSES ? n : GEN_CLASSES;
	memcpy(f->v.arr, v, f->n * sizeof(*v));
}

void
gen_report_open(struct gen_report *r, const char *key)
{
	gen_report_add(r, key, GEN_F_OPEN);
}

void
gen_report_close(struct gen_report *r)
{
	gen_report_add(r, NULL, GEN_F_CLOSE);
}

/* The value alone; arrays as "[a, b]" in JSON, "0:a 1:b" in text. */
static void
gen_field_value(FILE *out, const struct gen_field *f, bool json)
{
	unsigned int i;

	switch (f->type) {
	case GEN_F_U64:
		fprintf(out, "%" PRIu64, f->v.u);
		break;
	case GEN_F_F64:
		fprintf(out, "%.3f", f->v.d);
		break;
	case GEN_F_STR:
		/* our own strings only: nothing to escape */
		fprintf(out, json ? "\"%s\"" : "%s", f->v.s);
		break;
	case GEN_F_BOOL:
		fprintf(out, "%s", f->v.u ? "true" : "false");
		break;
	case GEN_F_ARR:
		fprintf(out, "%s", json ? "[" : "");
		for (i = 0; i < f->n; i++) {
			if (json)
				fprintf(out, "%s%" PRIu64, i ? ", " : "",
					f->v.arr[i]);
			else
				fprintf(out, "%s%u:%" PRIu64, i ? " " : "", i,
					f->v.arr[i]);
		}
		fprintf(out, "%s", json ? "]" : "");
		break;
	}
}

void
gen_report_text(FILE *out, const struct gen_report *r)
{
	bool nested = false;
	unsigned int i;

	fprintf(out, "\n%s\n", r->title);
	for (i = 0; i < r->n; i++) {
		const struct gen_field *f = &r->f[i];

		if (f->type == GEN_F_OPEN) {
			fprintf(out, "  %-24s", f->key);
			nested = true;
		} else if (f->type == GEN_F_CLOSE) {
			fprintf(out, "\n");
			nested = false;
		} else if (nested) {
			fprintf(out, " %s ", f->key);
			gen_field_value(out, f, false);
		} else {
			fprintf(out, "  %-24s ", f->key);
			gen_field_value(out, f, false);
			fprintf(out, "\n");
		}
	}
	fflush(out);
}

/* Top-level keys one a line; a nested object on a line of its own. */
static void
gen_report_json(FILE *out, const struct gen_report *r)
{
	bool first = true, nested = false;
	unsigned int i;

	fprintf(out, "{");
	for (i = 0; i < r->n; i++) {
		const struct gen_field *f = &r->f[i];

		if (f->type == GEN_F_CLOSE) {
			fprintf(out, "}");
			nested = false;
			first = false;
			continue;
		}
		if (nested)
			fprintf(out, "%s", first ? "" : ", ");
		else
			fprintf(out, "%s\n  ", first ? "" : ",");
		fprintf(out, "\"%s\": ", f->key);
		first = false;
		if (f->type == GEN_F_OPEN) {
			fprintf(out, "{");
			nested = true;
			first = true;
			continue;
		}
		gen_field_value(out, f, true);
	}
	fprintf(out, "\n}\n");
}

int
gen_report_write_json(const char *path, const struct gen_report *r)
{
	FILE *f = fopen(path, "w");
	int rc = 0;

	if (f == NULL)
		return -errno;

	gen_report_json(f, r);
	if (ferror(f))
		rc = -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}
