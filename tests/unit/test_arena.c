/* Unit tests for core/arena: allocation, alignment, large blocks, deferred destructors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"

static void test_alloc_is_zeroed_and_aligned(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	for (size_t size = 1; size < 3000; size += 37) {
		unsigned char *p = arena_alloc(a, size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t i = 0; i < size; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xab, size);
	}
	arena_destroy(a);
}

static void test_large_allocation_keeps_current_block(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *small1 = arena_alloc(a, 16);
	char *big = arena_alloc(a, 100000);
	char *small2 = arena_alloc(a, 16);
	memset(big, 1, 100000);
	/* The small allocations come from the same block, one after the other. */
	assert_ptr_equal(small2, small1 + 16);
	assert_true(arena_used(a) >= 100032);
	arena_destroy(a);
}

static void test_strings(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(arena_strdup(a, "licence"), "licence");
	assert_null(arena_strdup(a, NULL));
	assert_string_equal(arena_strndup(a, "inspection", 7), "inspect");
	assert_string_equal(arena_printf(a, "%s-%d", "grade", 42), "grade-42");
	arena_destroy(a);
}

static int order[4];
static int norder;
static void record(void *p)
{
	order[norder++] = *(int *)p;
}

static void test_defer_runs_in_reverse_order(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	int *x = arena_alloc(a, sizeof(int) * 3);
	x[0] = 1;
	x[1] = 2;
	x[2] = 3;
	norder = 0;
	arena_defer(a, record, &x[0]);
	arena_defer(a, record, &x[1]);
	arena_defer(a, record, NULL); /* ignored */
	arena_defer(a, record, &x[2]);
	arena_destroy(a);
	assert_int_equal(norder, 3);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 1);
}

static void test_destroy_null(void **state)
{
	(void)state;
	arena_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_is_zeroed_and_aligned),
		cmocka_unit_test(test_large_allocation_keeps_current_block),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_defer_runs_in_reverse_order),
		cmocka_unit_test(test_destroy_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
